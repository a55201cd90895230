// Tests of the lexer (lex.h), table-driven in the shape of Go's
// lex_test.go.  The expected items were produced by Go 1.19's own lexer:
// each item is TYPE@POS:LINE=VALUE|STRING, VALUE Go-quoted and STRING what
// Item::String() gives (as the parser quotes the item in messages).

#include "tmpl/lex.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "base/gostrconv.h"

namespace berth::tmpl {
namespace {

using namespace std::string_view_literals;

std::string_view TypeName(ItemType t) {
  static constexpr std::string_view kNames[] = {
      "error",    "bool",       "char",        "charconst",  "comment",    "complex",  "=",
      ":=",       "EOF",        "field",       "identifier", "left delim", "(",        "number",
      "pipe",     "raw string", "right delim", ")",          "space",      "string",   "text",
      "variable", "keyword",    "block",       "break",      "continue",   ".",        "define",
      "else",     "end",        "if",          "nil",        "range",      "template", "with",
  };
  return kNames[static_cast<int>(t)];
}

std::string Collect(std::string_view input, std::string_view left, std::string_view right) {
  LexOptions options;
  options.left_delim = left;
  options.right_delim = right;
  options.emit_comment = true;
  Lexer lexer(input, options);
  std::string out;
  while (true) {
    Item item = lexer.NextItem();
    if (!out.empty()) out += ' ';
    out += TypeName(item.type);
    out += '@' + std::to_string(item.pos) + ':' + std::to_string(item.line) + '=';
    out += gostrconv::Quote(item.val);
    out += '|' + item.String();
    if (item.type == ItemType::kEOF || item.type == ItemType::kError) break;
  }
  return out;
}

struct LexTest {
  const char* name;
  std::string_view input;
  std::string_view left;   // "" for the default
  std::string_view right;  // "" for the default
  std::string_view items;
};

// Go's lexTests, lexDelimTests, lexPosTests and TestDelimsAlphaNumeric, and
// more of our own.
// clang-format off
const LexTest kLexTests[] = {
    {"empty", ""sv, ""sv, ""sv,
     "EOF@0:1=\"\"|EOF"sv},
    {"spaces", " \t\n"sv, ""sv, ""sv,
     "text@0:1=\" \\t\\n\"|\" \\t\\n\" EOF@3:2=\"\"|EOF"sv},
    {"text", "now is the time"sv, ""sv, ""sv,
     "text@0:1=\"now is the time\"|\"now is the\"... EOF@15:1=\"\"|EOF"sv},
    {"text with comment", "hello-{{/* this is a comment */}}-world"sv, ""sv, ""sv,
     "text@0:1=\"hello-\"|\"hello-\" comment@8:1=\"/* this is a comment */\"|\"/* this is\"... text@33:1=\"-world\"|\"-world\" EOF@39:1=\"\"|EOF"sv},
    {"punctuation", "{{,@% }}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" char@2:1=\",\"|\",\" char@3:1=\"@\"|\"@\" char@4:1=\"%\"|\"%\" space@5:1=\" \"|\" \" right delim@6:1=\"}}\"|\"}}\" EOF@8:1=\"\"|EOF"sv},
    {"parens", "{{((3))}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" (@2:1=\"(\"|\"(\" (@3:1=\"(\"|\"(\" number@4:1=\"3\"|\"3\" )@5:1=\")\"|\")\" )@6:1=\")\"|\")\" right delim@7:1=\"}}\"|\"}}\" EOF@9:1=\"\"|EOF"sv},
    {"empty action", "{{}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" right delim@2:1=\"}}\"|\"}}\" EOF@4:1=\"\"|EOF"sv},
    {"for", "{{for}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" identifier@2:1=\"for\"|\"for\" right delim@5:1=\"}}\"|\"}}\" EOF@7:1=\"\"|EOF"sv},
    {"block", "{{block \"foo\" .}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" block@2:1=\"block\"|<block> space@7:1=\" \"|\" \" string@8:1=\"\\\"foo\\\"\"|\"\\\"foo\\\"\" space@13:1=\" \"|\" \" .@14:1=\".\"|<.> right delim@15:1=\"}}\"|\"}}\" EOF@17:1=\"\"|EOF"sv},
    {"quote", "{{\"abc \\n\\t\\\" \"}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" string@2:1=\"\\\"abc \\\\n\\\\t\\\\\\\" \\\"\"|\"\\\"abc \\\\n\\\\t\\\\\"... right delim@15:1=\"}}\"|\"}}\" EOF@17:1=\"\"|EOF"sv},
    {"raw quote", "{{`abc\\n\\t\\\" `}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" raw string@2:1=\"`abc\\\\n\\\\t\\\\\\\" `\"|\"`abc\\\\n\\\\t\\\\\\\"\"... right delim@14:1=\"}}\"|\"}}\" EOF@16:1=\"\"|EOF"sv},
    {"raw quote with newline", "{{`now is{{\n}}the time`}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" raw string@2:1=\"`now is{{\\n}}the time`\"|\"`now is{{\\n\"... right delim@23:2=\"}}\"|\"}}\" EOF@25:2=\"\"|EOF"sv},
    {"numbers", "{{1 02 0x14 0X14 -7.2i 1e3 1E3 +1.2e-4 4.2i 1+2i 1_2 0x1.e_fp4 0X1.E_FP4}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" number@2:1=\"1\"|\"1\" space@3:1=\" \"|\" \" number@4:1=\"02\"|\"02\" space@6:1=\" \"|\" \" number@7:1=\"0x14\"|\"0x14\" space@11:1=\" \"|\" \" number@12:1=\"0X14\"|\"0X14\" space@16:1=\" \"|\" \" number@17:1=\"-7.2i\"|\"-7.2i\" space@22:1=\" \"|\" \" number@23:1=\"1e3\"|\"1e3\" space@26:1=\" \"|\" \" number@27:1=\"1E3\"|\"1E3\" space@30:1=\" \"|\" \" number@31:1=\"+1.2e-4\"|\"+1.2e-4\" space@38:1=\" \"|\" \" number@39:1=\"4.2i\"|\"4.2i\" space@43:1=\" \"|\" \" complex@44:1=\"1+2i\"|\"1+2i\" space@48:1=\" \"|\" \" number@49:1=\"1_2\"|\"1_2\" space@52:1=\" \"|\" \" number@53:1=\"0x1.e_fp4\"|\"0x1.e_fp4\" space@62:1=\" \"|\" \" number@63:1=\"0X1.E_FP4\"|\"0X1.E_FP4\" right delim@72:1=\"}}\"|\"}}\" EOF@74:1=\"\"|EOF"sv},
    {"characters", "{{'a' '\\n' '\\'' '\\\\' '\\u00FF' '\\xFF' '\346\234\254'}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" charconst@2:1=\"'a'\"|\"'a'\" space@5:1=\" \"|\" \" charconst@6:1=\"'\\\\n'\"|\"'\\\\n'\" space@10:1=\" \"|\" \" charconst@11:1=\"'\\\\''\"|\"'\\\\''\" space@15:1=\" \"|\" \" charconst@16:1=\"'\\\\\\\\'\"|\"'\\\\\\\\'\" space@20:1=\" \"|\" \" charconst@21:1=\"'\\\\u00FF'\"|\"'\\\\u00FF'\" space@29:1=\" \"|\" \" charconst@30:1=\"'\\\\xFF'\"|\"'\\\\xFF'\" space@36:1=\" \"|\" \" charconst@37:1=\"'\346\234\254'\"|\"'\346\234\254'\" right delim@42:1=\"}}\"|\"}}\" EOF@44:1=\"\"|EOF"sv},
    {"bools", "{{true false}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" bool@2:1=\"true\"|\"true\" space@6:1=\" \"|\" \" bool@7:1=\"false\"|\"false\" right delim@12:1=\"}}\"|\"}}\" EOF@14:1=\"\"|EOF"sv},
    {"dot", "{{.}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" .@2:1=\".\"|<.> right delim@3:1=\"}}\"|\"}}\" EOF@5:1=\"\"|EOF"sv},
    {"nil", "{{nil}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" nil@2:1=\"nil\"|<nil> right delim@5:1=\"}}\"|\"}}\" EOF@7:1=\"\"|EOF"sv},
    {"dots", "{{.x . .2 .x.y.z}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" field@2:1=\".x\"|\".x\" space@4:1=\" \"|\" \" .@5:1=\".\"|<.> space@6:1=\" \"|\" \" number@7:1=\".2\"|\".2\" space@9:1=\" \"|\" \" field@10:1=\".x\"|\".x\" field@12:1=\".y\"|\".y\" field@14:1=\".z\"|\".z\" right delim@16:1=\"}}\"|\"}}\" EOF@18:1=\"\"|EOF"sv},
    {"keywords", "{{range if else end with}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" range@2:1=\"range\"|<range> space@7:1=\" \"|\" \" if@8:1=\"if\"|<if> space@10:1=\" \"|\" \" else@11:1=\"else\"|<else> space@15:1=\" \"|\" \" end@16:1=\"end\"|<end> space@19:1=\" \"|\" \" with@20:1=\"with\"|<with> right delim@24:1=\"}}\"|\"}}\" EOF@26:1=\"\"|EOF"sv},
    {"all keywords", "{{block break continue define else end if nil range template with true false}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" block@2:1=\"block\"|<block> space@7:1=\" \"|\" \" break@8:1=\"break\"|<break> space@13:1=\" \"|\" \" continue@14:1=\"continue\"|<continue> space@22:1=\" \"|\" \" define@23:1=\"define\"|<define> space@29:1=\" \"|\" \" else@30:1=\"else\"|<else> space@34:1=\" \"|\" \" end@35:1=\"end\"|<end> space@38:1=\" \"|\" \" if@39:1=\"if\"|<if> space@41:1=\" \"|\" \" nil@42:1=\"nil\"|<nil> space@45:1=\" \"|\" \" range@46:1=\"range\"|<range> space@51:1=\" \"|\" \" template@52:1=\"template\"|<template> space@60:1=\" \"|\" \" with@61:1=\"with\"|<with> space@65:1=\" \"|\" \" bool@66:1=\"true\"|\"true\" space@70:1=\" \"|\" \" bool@71:1=\"false\"|\"false\" right delim@76:1=\"}}\"|\"}}\" EOF@78:1=\"\"|EOF"sv},
    {"variables", "{{$c := printf $ $hello $23 $ $var.Field .Method}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" variable@2:1=\"$c\"|\"$c\" space@4:1=\" \"|\" \" :=@5:1=\":=\"|\":=\" space@7:1=\" \"|\" \" identifier@8:1=\"printf\"|\"printf\" space@14:1=\" \"|\" \" variable@15:1=\"$\"|\"$\" space@16:1=\" \"|\" \" variable@17:1=\"$hello\"|\"$hello\" space@23:1=\" \"|\" \" variable@24:1=\"$23\"|\"$23\" space@27:1=\" \"|\" \" variable@28:1=\"$\"|\"$\" space@29:1=\" \"|\" \" variable@30:1=\"$var\"|\"$var\" field@34:1=\".Field\"|\".Field\" space@40:1=\" \"|\" \" field@41:1=\".Method\"|\".Method\" right delim@48:1=\"}}\"|\"}}\" EOF@50:1=\"\"|EOF"sv},
    {"variable invocation", "{{$x 23}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" variable@2:1=\"$x\"|\"$x\" space@4:1=\" \"|\" \" number@5:1=\"23\"|\"23\" right delim@7:1=\"}}\"|\"}}\" EOF@9:1=\"\"|EOF"sv},
    {"pipeline", "intro {{echo hi 1.2 |noargs|args 1 \"hi\"}} outro"sv, ""sv, ""sv,
     "text@0:1=\"intro \"|\"intro \" left delim@6:1=\"{{\"|\"{{\" identifier@8:1=\"echo\"|\"echo\" space@12:1=\" \"|\" \" identifier@13:1=\"hi\"|\"hi\" space@15:1=\" \"|\" \" number@16:1=\"1.2\"|\"1.2\" space@19:1=\" \"|\" \" pipe@20:1=\"|\"|\"|\" identifier@21:1=\"noargs\"|\"noargs\" pipe@27:1=\"|\"|\"|\" identifier@28:1=\"args\"|\"args\" space@32:1=\" \"|\" \" number@33:1=\"1\"|\"1\" space@34:1=\" \"|\" \" string@35:1=\"\\\"hi\\\"\"|\"\\\"hi\\\"\" right delim@39:1=\"}}\"|\"}}\" text@41:1=\" outro\"|\" outro\" EOF@47:1=\"\"|EOF"sv},
    {"declaration", "{{$v := 3}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" variable@2:1=\"$v\"|\"$v\" space@4:1=\" \"|\" \" :=@5:1=\":=\"|\":=\" space@7:1=\" \"|\" \" number@8:1=\"3\"|\"3\" right delim@9:1=\"}}\"|\"}}\" EOF@11:1=\"\"|EOF"sv},
    {"2 declarations", "{{$v , $w := 3}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" variable@2:1=\"$v\"|\"$v\" space@4:1=\" \"|\" \" char@5:1=\",\"|\",\" space@6:1=\" \"|\" \" variable@7:1=\"$w\"|\"$w\" space@9:1=\" \"|\" \" :=@10:1=\":=\"|\":=\" space@12:1=\" \"|\" \" number@13:1=\"3\"|\"3\" right delim@14:1=\"}}\"|\"}}\" EOF@16:1=\"\"|EOF"sv},
    {"field of parenthesized expression", "{{(.X).Y}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" (@2:1=\"(\"|\"(\" field@3:1=\".X\"|\".X\" )@5:1=\")\"|\")\" field@6:1=\".Y\"|\".Y\" right delim@8:1=\"}}\"|\"}}\" EOF@10:1=\"\"|EOF"sv},
    {"trimming spaces before and after", "hello- {{- 3 -}} -world"sv, ""sv, ""sv,
     "text@0:1=\"hello-\"|\"hello-\" left delim@7:1=\"{{\"|\"{{\" number@11:1=\"3\"|\"3\" right delim@14:1=\"}}\"|\"}}\" text@17:1=\"-world\"|\"-world\" EOF@23:1=\"\"|EOF"sv},
    {"trimming spaces before and after comment", "hello- {{- /* hello */ -}} -world"sv, ""sv, ""sv,
     "text@0:1=\"hello-\"|\"hello-\" comment@11:1=\"/* hello */\"|\"/* hello *\"... text@27:1=\"-world\"|\"-world\" EOF@33:1=\"\"|EOF"sv},
    {"badchar", "#{{\001}}"sv, ""sv, ""sv,
     "text@0:1=\"#\"|\"#\" left delim@1:1=\"{{\"|\"{{\" error@3:1=\"unrecognized character in action: U+0001\"|unrecognized character in action: U+0001"sv},
    {"unclosed action", "{{"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" error@2:1=\"unclosed action\"|unclosed action"sv},
    {"EOF in action", "{{range"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" range@2:1=\"range\"|<range> error@7:1=\"unclosed action\"|unclosed action"sv},
    {"unclosed quote", "{{\"\n\"}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" error@2:1=\"unterminated quoted string\"|unterminated quoted string"sv},
    {"unclosed raw quote", "{{`xx}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" error@2:1=\"unterminated raw quoted string\"|unterminated raw quoted string"sv},
    {"unclosed char constant", "{{'\n}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" error@2:1=\"unterminated character constant\"|unterminated character constant"sv},
    {"bad number", "{{3k}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" error@2:1=\"bad number syntax: \\\"3k\\\"\"|bad number syntax: \"3k\""sv},
    {"unclosed paren", "{{(3}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" (@2:1=\"(\"|\"(\" number@3:1=\"3\"|\"3\" error@4:1=\"unclosed left paren\"|unclosed left paren"sv},
    {"extra right paren", "{{3)}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" number@2:1=\"3\"|\"3\" )@3:1=\")\"|\")\" error@4:1=\"unexpected right paren U+0029 ')'\"|unexpected right paren U+0029 ')'"sv},
    {"long pipeline deadlock", "{{|||||}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" pipe@2:1=\"|\"|\"|\" pipe@3:1=\"|\"|\"|\" pipe@4:1=\"|\"|\"|\" pipe@5:1=\"|\"|\"|\" pipe@6:1=\"|\"|\"|\" right delim@7:1=\"}}\"|\"}}\" EOF@9:1=\"\"|EOF"sv},
    {"text with bad comment", "hello-{{/*/}}-world"sv, ""sv, ""sv,
     "text@0:1=\"hello-\"|\"hello-\" error@8:1=\"unclosed comment\"|unclosed comment"sv},
    {"text with comment close separated from delim", "hello-{{/* */ }}-world"sv, ""sv, ""sv,
     "text@0:1=\"hello-\"|\"hello-\" error@8:1=\"comment ends before closing delimiter\"|comment ends before closing delimiter"sv},
    {"unmatched right delimiter", "hello-{.}}-world"sv, ""sv, ""sv,
     "text@0:1=\"hello-{.}}-world\"|\"hello-{.}}\"... EOF@16:1=\"\"|EOF"sv},
    {"pos punctuation", "{{,@%#}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" char@2:1=\",\"|\",\" char@3:1=\"@\"|\"@\" char@4:1=\"%\"|\"%\" char@5:1=\"#\"|\"#\" right delim@6:1=\"}}\"|\"}}\" EOF@8:1=\"\"|EOF"sv},
    {"pos sample", "0123{{hello}}xyz"sv, ""sv, ""sv,
     "text@0:1=\"0123\"|\"0123\" left delim@4:1=\"{{\"|\"{{\" identifier@6:1=\"hello\"|\"hello\" right delim@11:1=\"}}\"|\"}}\" text@13:1=\"xyz\"|\"xyz\" EOF@16:1=\"\"|EOF"sv},
    {"trimafter", "{{x -}}\n{{y}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" identifier@2:1=\"x\"|\"x\" right delim@5:1=\"}}\"|\"}}\" left delim@8:2=\"{{\"|\"{{\" identifier@10:2=\"y\"|\"y\" right delim@11:2=\"}}\"|\"}}\" EOF@13:2=\"\"|EOF"sv},
    {"trimbefore", "{{x}}\n{{- y}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" identifier@2:1=\"x\"|\"x\" right delim@3:1=\"}}\"|\"}}\" left delim@6:2=\"{{\"|\"{{\" identifier@10:2=\"y\"|\"y\" right delim@11:2=\"}}\"|\"}}\" EOF@13:2=\"\"|EOF"sv},
    {"delim punctuation", "$$,@%{{}}@@"sv, "$$"sv, "@@"sv,
     "left delim@0:1=\"$$\"|\"$$\" char@2:1=\",\"|\",\" char@3:1=\"@\"|\"@\" char@4:1=\"%\"|\"%\" char@5:1=\"{\"|\"{\" char@6:1=\"{\"|\"{\" char@7:1=\"}\"|\"}\" char@8:1=\"}\"|\"}\" right delim@9:1=\"@@\"|\"@@\" EOF@11:1=\"\"|EOF"sv},
    {"delim empty action", "$$@@"sv, "$$"sv, "@@"sv,
     "left delim@0:1=\"$$\"|\"$$\" right delim@2:1=\"@@\"|\"@@\" EOF@4:1=\"\"|EOF"sv},
    {"delim for", "$$for@@"sv, "$$"sv, "@@"sv,
     "left delim@0:1=\"$$\"|\"$$\" identifier@2:1=\"for\"|\"for\" right delim@5:1=\"@@\"|\"@@\" EOF@7:1=\"\"|EOF"sv},
    {"delim quote", "$$\"abc \\n\\t\\\" \"@@"sv, "$$"sv, "@@"sv,
     "left delim@0:1=\"$$\"|\"$$\" string@2:1=\"\\\"abc \\\\n\\\\t\\\\\\\" \\\"\"|\"\\\"abc \\\\n\\\\t\\\\\"... right delim@15:1=\"@@\"|\"@@\" EOF@17:1=\"\"|EOF"sv},
    {"delim raw quote", "$$`abc\\n\\t\\\" `@@"sv, "$$"sv, "@@"sv,
     "left delim@0:1=\"$$\"|\"$$\" raw string@2:1=\"`abc\\\\n\\\\t\\\\\\\" `\"|\"`abc\\\\n\\\\t\\\\\\\"\"... right delim@14:1=\"@@\"|\"@@\" EOF@16:1=\"\"|EOF"sv},
    {"alphanumeric delims", "{{hub .host hub}}"sv, "{{hub"sv, "hub}}"sv,
     "left delim@0:1=\"{{hub\"|\"{{hub\" space@5:1=\" \"|\" \" field@6:1=\".host\"|\".host\" space@11:1=\" \"|\" \" right delim@12:1=\"hub}}\"|\"hub}}\" EOF@17:1=\"\"|EOF"sv},
    {"multiline lines", "a\nb{{.X\n|\nprintf}}\nc\n{{/* x\ny */}}\nd{{- .Y -}}\n\ne"sv, ""sv, ""sv,
     "text@0:1=\"a\\nb\"|\"a\\nb\" left delim@3:2=\"{{\"|\"{{\" field@5:2=\".X\"|\".X\" space@7:2=\"\\n\"|\"\\n\" pipe@8:3=\"|\"|\"|\" space@9:3=\"\\n\"|\"\\n\" identifier@10:4=\"printf\"|\"printf\" right delim@16:4=\"}}\"|\"}}\" text@18:4=\"\\nc\\n\"|\"\\nc\\n\" comment@23:6=\"/* x\\ny */\"|\"/* x\\ny */\" text@34:6=\"\\nd\"|\"\\nd\" left delim@36:7=\"{{\"|\"{{\" field@40:7=\".Y\"|\".Y\" right delim@44:7=\"}}\"|\"}}\" text@48:9=\"e\"|\"e\" EOF@49:9=\"\"|EOF"sv},
    {"trim newline markers", "a\n{{-\n.X\n-}}\nb"sv, ""sv, ""sv,
     "text@0:1=\"a\"|\"a\" left delim@2:2=\"{{\"|\"{{\" field@6:3=\".X\"|\".X\" right delim@10:4=\"}}\"|\"}}\" text@13:5=\"b\"|\"b\" EOF@14:5=\"\"|EOF"sv},
    {"trim spaces runs", "{{.X   -}} {{ .Y  }}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" field@2:1=\".X\"|\".X\" space@4:1=\"  \"|\"  \" right delim@8:1=\"}}\"|\"}}\" left delim@11:1=\"{{\"|\"{{\" space@13:1=\" \"|\" \" field@14:1=\".Y\"|\".Y\" space@16:1=\"  \"|\"  \" right delim@18:1=\"}}\"|\"}}\" EOF@20:1=\"\"|EOF"sv},
    {"trim comment lines", "a\n{{- /* x\n\n*/ -}}\n\nb{{.X}}"sv, ""sv, ""sv,
     "text@0:1=\"a\"|\"a\" comment@6:2=\"/* x\\n\\n*/\"|\"/* x\\n\\n*/\" text@20:4=\"b\"|\"b\" left delim@21:4=\"{{\"|\"{{\" field@23:4=\".X\"|\".X\" right delim@25:4=\"}}\"|\"}}\" EOF@27:4=\"\"|EOF"sv},
    {"raw string lines", "{{`a\nb\nc`}}\n{{.X}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" raw string@2:1=\"`a\\nb\\nc`\"|\"`a\\nb\\nc`\" right delim@9:3=\"}}\"|\"}}\" text@11:3=\"\\n\"|\"\\n\" left delim@12:4=\"{{\"|\"{{\" field@14:4=\".X\"|\".X\" right delim@16:4=\"}}\"|\"}}\" EOF@18:4=\"\"|EOF"sv},
    {"minus number", "{{-3 - 3 -.5 +.5 .5}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" number@2:1=\"-3\"|\"-3\" space@4:1=\" \"|\" \" number@5:1=\"-\"|\"-\" space@6:1=\" \"|\" \" number@7:1=\"3\"|\"3\" space@8:1=\" \"|\" \" number@9:1=\"-.5\"|\"-.5\" space@12:1=\" \"|\" \" number@13:1=\"+.5\"|\"+.5\" space@16:1=\" \"|\" \" number@17:1=\".5\"|\".5\" right delim@19:1=\"}}\"|\"}}\" EOF@21:1=\"\"|EOF"sv},
    {"number then complex", "{{1+2i 1-2i -1e3+4e-5i 0x1p3+0x1p-2i}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" complex@2:1=\"1+2i\"|\"1+2i\" space@6:1=\" \"|\" \" complex@7:1=\"1-2i\"|\"1-2i\" space@11:1=\" \"|\" \" complex@12:1=\"-1e3+4e-5i\"|\"-1e3+4e-5i\" space@22:1=\" \"|\" \" complex@23:1=\"0x1p3+0x1p-2i\"|\"0x1p3+0x1p\"... right delim@36:1=\"}}\"|\"}}\" EOF@38:1=\"\"|EOF"sv},
    {"number prefixes", "{{0o17 0O17 0b101 0B1 0x_1F 0777 089 1_000}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" number@2:1=\"0o17\"|\"0o17\" space@6:1=\" \"|\" \" number@7:1=\"0O17\"|\"0O17\" space@11:1=\" \"|\" \" number@12:1=\"0b101\"|\"0b101\" space@17:1=\" \"|\" \" number@18:1=\"0B1\"|\"0B1\" space@21:1=\" \"|\" \" number@22:1=\"0x_1F\"|\"0x_1F\" space@27:1=\" \"|\" \" number@28:1=\"0777\"|\"0777\" space@32:1=\" \"|\" \" number@33:1=\"089\"|\"089\" space@36:1=\" \"|\" \" number@37:1=\"1_000\"|\"1_000\" right delim@42:1=\"}}\"|\"}}\" EOF@44:1=\"\"|EOF"sv},
    {"bad numbers", "{{0b2}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" error@2:1=\"bad number syntax: \\\"0b2\\\"\"|bad number syntax: \"0b2\""sv},
    {"bad octal exponent", "{{0o1e3}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" error@2:1=\"bad number syntax: \\\"0o1e\\\"\"|bad number syntax: \"0o1e\""sv},
    {"bad complex", "{{1+2}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" error@2:1=\"bad number syntax: \\\"1+2\\\"\"|bad number syntax: \"1+2\""sv},
    {"dot number at eof", "{{."sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" number@2:1=\".\"|\".\" error@3:1=\"unclosed action\"|unclosed action"sv},
    {"unicode identifiers", "{{\306\222 .\303\221ame $\303\261}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" identifier@2:1=\"\306\222\"|\"\306\222\" space@4:1=\" \"|\" \" field@5:1=\".\303\221ame\"|\".\303\221ame\" space@11:1=\" \"|\" \" variable@12:1=\"$\303\261\"|\"$\303\261\" right delim@15:1=\"}}\"|\"}}\" EOF@17:1=\"\"|EOF"sv},
    {"invalid utf8", "{{\377}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" error@2:1=\"unrecognized character in action: U+FFFD '\357\277\275'\"|unrecognized character in action: U+FFFD '\357\277\275'"sv},
    {"invalid utf8 in text", "a\377b{{.X}}\376"sv, ""sv, ""sv,
     "text@0:1=\"a\\xffb\"|\"a\\xffb\" left delim@3:1=\"{{\"|\"{{\" field@5:1=\".X\"|\".X\" right delim@7:1=\"}}\"|\"}}\" text@9:1=\"\\xfe\"|\"\\xfe\" EOF@10:1=\"\"|EOF"sv},
    {"invalid utf8 in string", "{{\"\377\"}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" string@2:1=\"\\\"\\xff\\\"\"|\"\\\"\\xff\\\"\" right delim@5:1=\"}}\"|\"}}\" EOF@7:1=\"\"|EOF"sv},
    {"non-ascii punctuation", "{{\302\253}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" error@2:1=\"unrecognized character in action: U+00AB '\302\253'\"|unrecognized character in action: U+00AB '\302\253'"sv},
    {"bad char after identifier", "{{a#}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" error@2:1=\"bad character U+0023 '#'\"|bad character U+0023 '#'"sv},
    {"bad char after variable", "{{$x+2}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" error@2:1=\"bad character U+002B '+'\"|bad character U+002B '+'"sv},
    {"bad char after field", "{{.x!}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" error@2:1=\"bad character U+0021 '!'\"|bad character U+0021 '!'"sv},
    {"variable at eof", "{{$"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" variable@2:1=\"$\"|\"$\" error@3:1=\"unclosed action\"|unclosed action"sv},
    {"expected declare", "{{:x}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" error@2:1=\"expected :=\"|expected :="sv},
    {"assign", "{{$x = 1}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" variable@2:1=\"$x\"|\"$x\" space@4:1=\" \"|\" \" =@5:1=\"=\"|\"=\" space@6:1=\" \"|\" \" number@7:1=\"1\"|\"1\" right delim@8:1=\"}}\"|\"}}\" EOF@10:1=\"\"|EOF"sv},
    {"comment spaced", "{{ /* c */ }}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" space@2:1=\" \"|\" \" char@3:1=\"/\"|\"/\" char@4:1=\"*\"|\"*\" space@5:1=\" \"|\" \" identifier@6:1=\"c\"|\"c\" space@7:1=\" \"|\" \" char@8:1=\"*\"|\"*\" char@9:1=\"/\"|\"/\" space@10:1=\" \"|\" \" right delim@11:1=\"}}\"|\"}}\" EOF@13:1=\"\"|EOF"sv},
    {"comment trim no space", "a{{-/* c */-}}b"sv, ""sv, ""sv,
     "text@0:1=\"a\"|\"a\" left delim@1:1=\"{{\"|\"{{\" number@3:1=\"-\"|\"-\" char@4:1=\"/\"|\"/\" char@5:1=\"*\"|\"*\" space@6:1=\" \"|\" \" identifier@7:1=\"c\"|\"c\" space@8:1=\" \"|\" \" char@9:1=\"*\"|\"*\" char@10:1=\"/\"|\"/\" number@11:1=\"-\"|\"-\" right delim@12:1=\"}}\"|\"}}\" text@14:1=\"b\"|\"b\" EOF@15:1=\"\"|EOF"sv},
    {"comment unclosed multiline", "a\n{{/* x\n"sv, ""sv, ""sv,
     "text@0:1=\"a\\n\"|\"a\\n\" error@4:2=\"unclosed comment\"|unclosed comment"sv},
    {"unterminated raw multiline", "a\n{{`x\ny"sv, ""sv, ""sv,
     "text@0:1=\"a\\n\"|\"a\\n\" left delim@2:2=\"{{\"|\"{{\" error@4:2=\"unterminated raw quoted string\"|unterminated raw quoted string"sv},
    {"unclosed char escape eof", "{{'\\"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" error@2:1=\"unterminated character constant\"|unterminated character constant"sv},
    {"unclosed quote escape newline", "{{\"\\\n\"}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" error@2:1=\"unterminated quoted string\"|unterminated quoted string"sv},
    {"right trim space run", "{{3  -}}x"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" number@2:1=\"3\"|\"3\" space@3:1=\" \"|\" \" right delim@6:1=\"}}\"|\"}}\" text@8:1=\"x\"|\"x\" EOF@9:1=\"\"|EOF"sv},
    {"right trim tab", "{{3\t-}}\n\tx"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" number@2:1=\"3\"|\"3\" right delim@5:1=\"}}\"|\"}}\" text@9:2=\"x\"|\"x\" EOF@10:2=\"\"|EOF"sv},
    {"right trim newline", "{{3\n-}}\nx"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" number@2:1=\"3\"|\"3\" right delim@5:2=\"}}\"|\"}}\" text@8:3=\"x\"|\"x\" EOF@9:3=\"\"|EOF"sv},
    {"paren depth resets", "{{(}}{{)}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" (@2:1=\"(\"|\"(\" error@3:1=\"unclosed left paren\"|unclosed left paren"sv},
    {"nested parens", "{{(((.X) .Y))}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" (@2:1=\"(\"|\"(\" (@3:1=\"(\"|\"(\" (@4:1=\"(\"|\"(\" field@5:1=\".X\"|\".X\" )@7:1=\")\"|\")\" space@8:1=\" \"|\" \" field@9:1=\".Y\"|\".Y\" )@11:1=\")\"|\")\" )@12:1=\")\"|\")\" right delim@13:1=\"}}\"|\"}}\" EOF@15:1=\"\"|EOF"sv},
    {"text ending with left delim prefix", "a{"sv, ""sv, ""sv,
     "text@0:1=\"a{\"|\"a{\" EOF@2:1=\"\"|EOF"sv},
    {"crlf", "a\r\n{{.X}}\r\n"sv, ""sv, ""sv,
     "text@0:1=\"a\\r\\n\"|\"a\\r\\n\" left delim@3:2=\"{{\"|\"{{\" field@5:2=\".X\"|\".X\" right delim@7:2=\"}}\"|\"}}\" text@9:2=\"\\r\\n\"|\"\\r\\n\" EOF@11:3=\"\"|EOF"sv},
    {"break continue", "{{break}}{{continue}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" break@2:1=\"break\"|<break> right delim@7:1=\"}}\"|\"}}\" left delim@9:1=\"{{\"|\"{{\" continue@11:1=\"continue\"|<continue> right delim@19:1=\"}}\"|\"}}\" EOF@21:1=\"\"|EOF"sv},
    {"same delims", "||.X||"sv, "||"sv, "||"sv,
     "left delim@0:1=\"||\"|\"||\" field@2:1=\".X\"|\".X\" right delim@4:1=\"||\"|\"||\" EOF@6:1=\"\"|EOF"sv},
    {"long values", "{{\"abcdefghijklmnop\" `0123456789a` 12345678901 \"\304\205\304\207\304\231\305\202\305\204\303\263\305\233\305\272\305\274\304\204\304\206\"}}"sv, ""sv, ""sv,
     "left delim@0:1=\"{{\"|\"{{\" string@2:1=\"\\\"abcdefghijklmnop\\\"\"|\"\\\"abcdefghi\"... space@20:1=\" \"|\" \" raw string@21:1=\"`0123456789a`\"|\"`012345678\"... space@34:1=\" \"|\" \" number@35:1=\"12345678901\"|\"1234567890\"... space@46:1=\" \"|\" \" string@47:1=\"\\\"\304\205\304\207\304\231\305\202\305\204\303\263\305\233\305\272\305\274\304\204\304\206\\\"\"|\"\\\"\304\205\304\207\304\231\305\202\305\204\303\263\305\233\305\272\305\274\"... right delim@71:1=\"}}\"|\"}}\" EOF@73:1=\"\"|EOF"sv},
};
// clang-format on

TEST(LexTest, Table) {
  for (const LexTest& t : kLexTests) {
    SCOPED_TRACE(t.name);
    EXPECT_EQ(Collect(t.input, t.left, t.right), t.items);
  }
}

TEST(LexTest, EndsWithEof) {
  Lexer lexer("a{{", LexOptions{});
  EXPECT_EQ(lexer.NextItem().type, ItemType::kText);
  EXPECT_EQ(lexer.NextItem().type, ItemType::kLeftDelim);
  Item error = lexer.NextItem();
  EXPECT_EQ(error.type, ItemType::kError);
  EXPECT_EQ(error.val, "unclosed action");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(lexer.NextItem().type, ItemType::kEOF);
}

TEST(LexTest, BreakAndContinueAsIdentifiers) {
  LexOptions options;
  options.break_ok = false;
  options.continue_ok = false;
  Lexer lexer("{{break continue}}", options);
  EXPECT_EQ(lexer.NextItem().type, ItemType::kLeftDelim);
  EXPECT_EQ(lexer.NextItem().type, ItemType::kIdentifier);
  EXPECT_EQ(lexer.NextItem().type, ItemType::kSpace);
  EXPECT_EQ(lexer.NextItem().type, ItemType::kIdentifier);
}

TEST(LexTest, CommentsSkippedByDefault) {
  Lexer lexer("a{{/* c */}}b", LexOptions{});
  Item a = lexer.NextItem();
  EXPECT_EQ(a.val, "a");
  Item b = lexer.NextItem();
  EXPECT_EQ(b.type, ItemType::kText);
  EXPECT_EQ(b.val, "b");
  EXPECT_EQ(b.pos, 12);
}

}  // namespace
}  // namespace berth::tmpl
