// Tests of the parser (parse.h) and of node printing (node.h): table-driven
// in the shape of Go's parse_test.go.  The expected results were produced
// by Go 1.19's own text/template/parse, with berth's column added to error
// messages.

#include "tmpl/parse.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "base/gostrconv.h"

namespace berth::tmpl {
namespace {

using namespace std::string_view_literals;

// The builtins of text/template and confd's functions (and one non-ASCII
// name), as the tests' function map.
bool HasFunction(std::string_view name) {
  static const std::set<std::string, std::less<>> kNames = {
      "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
      "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
      // confd
      "base", "split", "json", "jsonArray", "dir", "map", "getenv", "join", "datetime", "toUpper",
      "toLower", "contains", "replace", "trimSuffix", "lookupIP", "lookupIPV4", "lookupIPV6",
      "lookupSRV", "fileExists", "base64Encode", "base64Decode", "parseBool", "reverse",
      "sortByLength", "sortKVByLength", "add", "sub", "div", "mod", "mul", "seq", "atoi", "exists",
      "ls", "lsdir", "get", "gets", "getv", "getvs", "\xc6\x92"};
  return kNames.contains(name);
}

ParseOptions TestOptions() {
  ParseOptions o;
  o.has_function = HasFunction;
  return o;
}

// ---- a structural dump of a tree, with positions, lines and values ----

std::string Dump(const Node* n);

std::string DumpFloat(double f) { return gostrconv::FormatFloat(f, 'g', -1, 64); }

std::string DumpList(const ListNode* l) {
  if (l == nullptr) return "nil";
  std::string out = "L@" + std::to_string(l->pos) + "[";
  for (size_t i = 0; i < l->nodes.size(); ++i) {
    if (i > 0) out += ",";
    out += Dump(l->nodes[i].get());
  }
  return out + "]";
}

std::string DumpPipe(const PipeNode* p) {
  if (p == nullptr) return "nil";
  std::string out = "P@" + std::to_string(p->pos) + ":" + std::to_string(p->line);
  if (p->is_assign) out += "=";
  out += "[";
  for (size_t i = 0; i < p->decl.size(); ++i) {
    if (i > 0) out += ",";
    out += Dump(p->decl[i].get());
  }
  out += "|";
  for (size_t i = 0; i < p->cmds.size(); ++i) {
    if (i > 0) out += ",";
    out += Dump(p->cmds[i].get());
  }
  return out + "]";
}

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += sep;
    out += v[i];
  }
  return out;
}

std::string Dump(const Node* n) {
  if (n == nullptr) return "nil";
  const std::string at = "@" + std::to_string(n->pos);
  switch (n->type) {
    case NodeType::kList:
      return DumpList(static_cast<const ListNode*>(n));
    case NodeType::kText:
      return "T" + at + gostrconv::Quote(static_cast<const TextNode*>(n)->text);
    case NodeType::kComment:
      return "Cm" + at + gostrconv::Quote(static_cast<const CommentNode*>(n)->text);
    case NodeType::kAction: {
      auto* a = static_cast<const ActionNode*>(n);
      return "A" + at + ":" + std::to_string(a->line) + "(" + DumpPipe(a->pipe.get()) + ")";
    }
    case NodeType::kPipe:
      return DumpPipe(static_cast<const PipeNode*>(n));
    case NodeType::kCommand: {
      std::vector<std::string> args;
      for (const auto& a : static_cast<const CommandNode*>(n)->args) args.push_back(Dump(a.get()));
      return "C" + at + "(" + Join(args, " ") + ")";
    }
    case NodeType::kIdentifier:
      return "I" + at + ":" + static_cast<const IdentifierNode*>(n)->ident;
    case NodeType::kVariable:
      return "V" + at + ":" + Join(static_cast<const VariableNode*>(n)->ident, ".");
    case NodeType::kDot:
      return "D" + at;
    case NodeType::kNil:
      return "N" + at;
    case NodeType::kField:
      return "F" + at + ":." + Join(static_cast<const FieldNode*>(n)->ident, ".");
    case NodeType::kChain: {
      auto* c = static_cast<const ChainNode*>(n);
      return "Ch" + at + "(" + Dump(c->node.get()) + ")." + Join(c->field, ".");
    }
    case NodeType::kBool:
      return "B" + at + ":" + (static_cast<const BoolNode*>(n)->value ? "true" : "false");
    case NodeType::kNumber: {
      auto* num = static_cast<const NumberNode*>(n);
      std::string out = "Num" + at + ":" + num->text;
      if (num->is_int) out += " i=" + std::to_string(num->int64);
      if (num->is_uint) out += " u=" + std::to_string(num->uint64);
      if (num->is_float) out += " f=" + DumpFloat(num->float64);
      if (num->is_complex) {
        out += " c=" + DumpFloat(num->complex128.real()) + "," + DumpFloat(num->complex128.imag());
      }
      return out;
    }
    case NodeType::kString: {
      auto* s = static_cast<const StringNode*>(n);
      return "S" + at + ":" + s->quoted + "=" + gostrconv::Quote(s->text);
    }
    case NodeType::kIf:
    case NodeType::kRange:
    case NodeType::kWith: {
      auto* b = static_cast<const BranchNode*>(n);
      std::string kind = n->type == NodeType::kIf      ? "If"
                         : n->type == NodeType::kRange ? "Range"
                                                       : "With";
      return kind + at + ":" + std::to_string(b->line) + "(" + DumpPipe(b->pipe.get()) + ";" +
             DumpList(b->list.get()) + ";" + DumpList(b->else_list.get()) + ")";
    }
    case NodeType::kBreak:
      return "Br" + at + ":" + std::to_string(static_cast<const BreakNode*>(n)->line);
    case NodeType::kContinue:
      return "Co" + at + ":" + std::to_string(static_cast<const ContinueNode*>(n)->line);
    case NodeType::kTemplate: {
      auto* t = static_cast<const TemplateNode*>(n);
      return "Tm" + at + ":" + std::to_string(t->line) + ":" + gostrconv::Quote(t->name) + "(" +
             DumpPipe(t->pipe.get()) + ")";
    }
  }
  return "?";
}

// Every tree of the set as NAME=TEXT, one per line, in name order.
std::string Render(const TreeSet& trees, bool dump) {
  std::string out;
  for (const auto& [name, tree] : trees) {
    if (!out.empty()) out += "\n";
    out += name + "=" + (dump ? DumpList(tree->root()) : tree->root()->String());
  }
  return out;
}

struct ParseTest {
  const char* name;
  std::string_view input;
  bool ok;
  std::string_view result;  // the trees, or the whole error message
};

// Go's parseTests and errorTests (all of them), and more of our own; the
// trees are shown as node String()s.
// clang-format off
const ParseTest kParseTests[] = {
    {"empty", ""sv, true, "empty="sv},
    {"comment", "{{/*\n\n\n*/}}"sv, true, "comment="sv},
    {"spaces", " \t\n"sv, true, "spaces= \t\n"sv},
    {"text", "some text"sv, true, "text=some text"sv},
    {"emptyAction", "{{}}"sv, false, "template: emptyAction:1:2: missing value for command"sv},
    {"field", "{{.X}}"sv, true, "field={{.X}}"sv},
    {"simple command", "{{printf}}"sv, true, "simple command={{printf}}"sv},
    {"$ invocation", "{{$}}"sv, true, "$ invocation={{$}}"sv},
    {"variable invocation", "{{with $x := 3}}{{$x 23}}{{end}}"sv, true, "variable invocation={{with $x := 3}}{{$x 23}}{{end}}"sv},
    {"variable with fields", "{{$.I}}"sv, true, "variable with fields={{$.I}}"sv},
    {"multi-word command", "{{printf `%d` 23}}"sv, true, "multi-word command={{printf `%d` 23}}"sv},
    {"pipeline", "{{.X|.Y}}"sv, true, "pipeline={{.X | .Y}}"sv},
    {"pipeline with decl", "{{$x := .X|.Y}}"sv, true, "pipeline with decl={{$x := .X | .Y}}"sv},
    {"nested pipeline", "{{.X (.Y .Z) (.A | .B .C) (.E)}}"sv, true, "nested pipeline={{.X (.Y .Z) (.A | .B .C) (.E)}}"sv},
    {"field applied to parentheses", "{{(.Y .Z).Field}}"sv, true, "field applied to parentheses={{(.Y .Z).Field}}"sv},
    {"simple if", "{{if .X}}hello{{end}}"sv, true, "simple if={{if .X}}hello{{end}}"sv},
    {"if with else", "{{if .X}}true{{else}}false{{end}}"sv, true, "if with else={{if .X}}true{{else}}false{{end}}"sv},
    {"if with else if", "{{if .X}}true{{else if .Y}}false{{end}}"sv, true, "if with else if={{if .X}}true{{else}}{{if .Y}}false{{end}}{{end}}"sv},
    {"if else chain", "+{{if .X}}X{{else if .Y}}Y{{else if .Z}}Z{{end}}+"sv, true, "if else chain=+{{if .X}}X{{else}}{{if .Y}}Y{{else}}{{if .Z}}Z{{end}}{{end}}{{end}}+"sv},
    {"simple range", "{{range .X}}hello{{end}}"sv, true, "simple range={{range .X}}hello{{end}}"sv},
    {"chained field range", "{{range .X.Y.Z}}hello{{end}}"sv, true, "chained field range={{range .X.Y.Z}}hello{{end}}"sv},
    {"nested range", "{{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}"sv, true, "nested range={{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}"sv},
    {"range with else", "{{range .X}}true{{else}}false{{end}}"sv, true, "range with else={{range .X}}true{{else}}false{{end}}"sv},
    {"range over pipeline", "{{range .X|.M}}true{{else}}false{{end}}"sv, true, "range over pipeline={{range .X | .M}}true{{else}}false{{end}}"sv},
    {"range []int", "{{range .SI}}{{.}}{{end}}"sv, true, "range []int={{range .SI}}{{.}}{{end}}"sv},
    {"range 1 var", "{{range $x := .SI}}{{.}}{{end}}"sv, true, "range 1 var={{range $x := .SI}}{{.}}{{end}}"sv},
    {"range 2 vars", "{{range $x, $y := .SI}}{{.}}{{end}}"sv, true, "range 2 vars={{range $x, $y := .SI}}{{.}}{{end}}"sv},
    {"range with break", "{{range .SI}}{{.}}{{break}}{{end}}"sv, true, "range with break={{range .SI}}{{.}}{{break}}{{end}}"sv},
    {"range with continue", "{{range .SI}}{{.}}{{continue}}{{end}}"sv, true, "range with continue={{range .SI}}{{.}}{{continue}}{{end}}"sv},
    {"constants", "{{range .SI 1 -3.2i true false 'a' nil}}{{end}}"sv, true, "constants={{range .SI 1 -3.2i true false 'a' nil}}{{end}}"sv},
    {"template", "{{template `x`}}"sv, true, "template={{template \"x\"}}"sv},
    {"template with arg", "{{template `x` .Y}}"sv, true, "template with arg={{template \"x\" .Y}}"sv},
    {"with", "{{with .X}}hello{{end}}"sv, true, "with={{with .X}}hello{{end}}"sv},
    {"with with else", "{{with .X}}hello{{else}}goodbye{{end}}"sv, true, "with with else={{with .X}}hello{{else}}goodbye{{end}}"sv},
    {"trim left", "x \r\n\t{{- 3}}"sv, true, "trim left=x{{3}}"sv},
    {"trim right", "{{3 -}}\n\n\ty"sv, true, "trim right={{3}}y"sv},
    {"trim left and right", "x \r\n\t{{- 3 -}}\n\n\ty"sv, true, "trim left and right=x{{3}}y"sv},
    {"trim with extra spaces", "x\n{{-  3   -}}\ny"sv, true, "trim with extra spaces=x{{3}}y"sv},
    {"comment trim left", "x \r\n\t{{- /* hi */}}"sv, true, "comment trim left=x"sv},
    {"comment trim right", "{{/* hi */ -}}\n\n\ty"sv, true, "comment trim right=y"sv},
    {"comment trim left and right", "x \r\n\t{{- /* */ -}}\n\n\ty"sv, true, "comment trim left and right=xy"sv},
    {"block definition", "{{block \"foo\" .}}hello{{end}}"sv, true, "block definition={{template \"foo\" .}}\nfoo=hello"sv},
    {"newline in assignment", "{{ $x \n := \n 1 \n }}"sv, true, "newline in assignment={{$x := 1}}"sv},
    {"newline in empty action", "{{\n}}"sv, false, "template: newline in empty action:2:0: missing value for command"sv},
    {"newline in pipeline", "{{\n\"x\"\n|\nprintf\n}}"sv, true, "newline in pipeline={{\"x\" | printf}}"sv},
    {"newline in comment", "{{/*\nhello\n*/}}"sv, true, "newline in comment="sv},
    {"newline in comment trimmed", "{{-\n/*\nhello\n*/\n-}}"sv, true, "newline in comment trimmed="sv},
    {"spaces around continue", "{{range .SI}}{{.}}{{ continue }}{{end}}"sv, true, "spaces around continue={{range .SI}}{{.}}{{continue}}{{end}}"sv},
    {"spaces around break", "{{range .SI}}{{.}}{{ break }}{{end}}"sv, true, "spaces around break={{range .SI}}{{.}}{{break}}{{end}}"sv},
    {"unclosed action", "hello{{range"sv, false, "template: unclosed action:1:12: unclosed action"sv},
    {"unmatched end", "{{end}}"sv, false, "template: unmatched end:1:5: unexpected {{end}}"sv},
    {"unmatched else", "{{else}}"sv, false, "template: unmatched else:1:6: unexpected {{else}}"sv},
    {"unmatched else after if", "{{if .X}}hello{{end}}{{else}}"sv, false, "template: unmatched else after if:1:27: unexpected {{else}}"sv},
    {"multiple else", "{{if .X}}1{{else}}2{{else}}3{{end}}"sv, false, "template: multiple else:1:25: expected end; found {{else}}"sv},
    {"missing end", "hello{{range .x}}"sv, false, "template: missing end:1:17: unexpected EOF"sv},
    {"missing end after else", "hello{{range .x}}{{else}}"sv, false, "template: missing end after else:1:25: unexpected EOF"sv},
    {"undefined function", "hello{{undefined}}"sv, false, "template: undefined function:1:7: function \"undefined\" not defined"sv},
    {"undefined variable", "{{$x}}"sv, false, "template: undefined variable:1:4: undefined variable \"$x\""sv},
    {"variable undefined after end", "{{with $x := 4}}{{end}}{{$x}}"sv, false, "template: variable undefined after end:1:27: undefined variable \"$x\""sv},
    {"variable undefined in template", "{{template $v}}"sv, false, "template: variable undefined in template:1:11: unexpected \"$v\" in template clause"sv},
    {"declare with field", "{{with $x.Y := 4}}{{end}}"sv, false, "template: declare with field:1:9: undefined variable \"$x\""sv},
    {"template with field ref", "{{template .X}}"sv, false, "template: template with field ref:1:11: unexpected \".X\" in template clause"sv},
    {"invalid punctuation", "{{printf 3, 4}}"sv, false, "template: invalid punctuation:1:10: unexpected \",\" in operand"sv},
    {"multidecl outside range", "{{with $v, $u := 3}}{{end}}"sv, false, "template: multidecl outside range:1:9: too many declarations in with"sv},
    {"too many decls in range", "{{range $u, $v, $w := 3}}{{end}}"sv, false, "template: too many decls in range:1:14: too many declarations in range"sv},
    {"dot applied to parentheses", "{{printf (printf .).}}"sv, false, "template: dot applied to parentheses:1:19: unexpected <.> in operand"sv},
    {"adjacent args", "{{printf 3`x`}}"sv, false, "template: adjacent args:1:10: unexpected \"`x`\" in operand"sv},
    {"adjacent args with .", "{{printf `x`.}}"sv, false, "template: adjacent args with .:1:12: unexpected <.> in operand"sv},
    {"extra end after if", "{{if .X}}a{{else if .Y}}b{{end}}{{end}}"sv, false, "template: extra end after if:1:37: unexpected {{end}}"sv},
    {"break outside range", "{{range .}}{{end}} {{break}}"sv, false, "template: break outside range:1:26: {{break}} outside {{range}}"sv},
    {"continue outside range", "{{range .}}{{end}} {{continue}}"sv, false, "template: continue outside range:1:29: {{continue}} outside {{range}}"sv},
    {"break in range else", "{{range .}}{{else}}{{break}}{{end}}"sv, false, "template: break in range else:1:26: {{break}} outside {{range}}"sv},
    {"continue in range else", "{{range .}}{{else}}{{continue}}{{end}}"sv, false, "template: continue in range else:1:29: {{continue}} outside {{range}}"sv},
    {"bug0a", "{{$x := 0}}{{$x}}"sv, true, "bug0a={{$x := 0}}{{$x}}"sv},
    {"bug0b", "{{$x += 1}}{{$x}}"sv, false, "template: bug0b:1:5: undefined variable \"$x\""sv},
    {"bug0c", "{{$x ! 2}}{{$x}}"sv, false, "template: bug0c:1:5: undefined variable \"$x\""sv},
    {"bug0d", "{{$x % 3}}{{$x}}"sv, false, "template: bug0d:1:5: undefined variable \"$x\""sv},
    {"bug0e", "{{range $x := $y := 3}}{{end}}"sv, false, "template: bug0e:1:14: undefined variable \"$y\""sv},
    {"bug1a", "{{$x:=.}}{{$x!2}}"sv, false, "template: bug1a:1:11: bad character U+0021 '!'"sv},
    {"bug1b", "{{$x:=.}}{{$x+2}}"sv, false, "template: bug1b:1:11: bad character U+002B '+'"sv},
    {"bug1c", "{{$x:=.}}{{$x +2}}"sv, true, "bug1c={{$x := .}}{{$x +2}}"sv},
    {"dot after integer", "{{1.E}}"sv, false, "template: dot after integer:1:2: illegal number syntax: \"1.E\""sv},
    {"dot after float", "{{0.1.E}}"sv, false, "template: dot after float:1:7: unexpected . after term \"0.1\""sv},
    {"dot after boolean", "{{true.E}}"sv, false, "template: dot after boolean:1:8: unexpected . after term \"true\""sv},
    {"dot after char", "{{'a'.any}}"sv, false, "template: dot after char:1:9: unexpected . after term \"'a'\""sv},
    {"dot after string", "{{\"hello\".guys}}"sv, false, "template: dot after string:1:14: unexpected . after term \"\\\"hello\\\"\""sv},
    {"dot after dot", "{{..E}}"sv, false, "template: dot after dot:1:5: unexpected . after term \".\""sv},
    {"dot after nil", "{{nil.E}}"sv, false, "template: dot after nil:1:7: unexpected . after term \"nil\""sv},
    {"wrong pipeline dot", "{{12|.}}"sv, false, "template: wrong pipeline dot:1:6: non executable command in pipeline stage 2"sv},
    {"wrong pipeline number", "{{.|12|printf}}"sv, false, "template: wrong pipeline number:1:13: non executable command in pipeline stage 2"sv},
    {"wrong pipeline string", "{{.|printf|\"error\"}}"sv, false, "template: wrong pipeline string:1:18: non executable command in pipeline stage 3"sv},
    {"wrong pipeline char", "{{12|printf|'e'}}"sv, false, "template: wrong pipeline char:1:15: non executable command in pipeline stage 3"sv},
    {"wrong pipeline boolean", "{{.|true}}"sv, false, "template: wrong pipeline boolean:1:8: non executable command in pipeline stage 2"sv},
    {"wrong pipeline nil", "{{'c'|nil}}"sv, false, "template: wrong pipeline nil:1:9: non executable command in pipeline stage 2"sv},
    {"empty pipeline", "{{printf \"%d\" ( ) }}"sv, false, "template: empty pipeline:1:16: missing value for parenthesized pipeline"sv},
    {"block without pipeline", "{{block \"foo\"}}hello{{end}}"sv, false, "template: block without pipeline:1:13: missing value for block clause"sv},
    {"unclosed1", "line1\n{{"sv, false, "template: unclosed1:2:2: unclosed action"sv},
    {"unclosed2", "line1\n{{define `x`}}line2\n{{"sv, false, "template: unclosed2:3:2: unclosed action"sv},
    {"unclosed3", "line1\n{{\"x\"\n\"y\"\n"sv, false, "template: unclosed3:4:0: unclosed action started at unclosed3:2"sv},
    {"unclosed4", "{{\n\n\n\n\n"sv, false, "template: unclosed4:6:0: unclosed action started at unclosed4:1"sv},
    {"var1", "line1\n{{\nx\n}}"sv, false, "template: var1:3:0: function \"x\" not defined"sv},
    {"function", "{{foo}}"sv, false, "template: function:1:2: function \"foo\" not defined"sv},
    {"comment1", "{{/*}}"sv, false, "template: comment1:1:2: unclosed comment"sv},
    {"comment2", "{{/*\nhello\n}}"sv, false, "template: comment2:1:2: unclosed comment"sv},
    {"lparen", "{{.X (1 2 3}}"sv, false, "template: lparen:1:11: unclosed left paren"sv},
    {"rparen", "{{.X 1 2 3 ) }}"sv, false, "template: rparen:1:11: unexpected \")\" in command"sv},
    {"rparen2", "{{(.X 1 2 3"sv, false, "template: rparen2:1:11: unclosed action"sv},
    {"space", "{{`x`3}}"sv, false, "template: space:1:5: unexpected \"3\" in operand"sv},
    {"idchar", "{{a#}}"sv, false, "template: idchar:1:2: bad character U+0023 '#'"sv},
    {"charconst", "{{'a}}"sv, false, "template: charconst:1:2: unterminated character constant"sv},
    {"stringconst", "{{\"a}}"sv, false, "template: stringconst:1:2: unterminated quoted string"sv},
    {"rawstringconst", "{{`a}}"sv, false, "template: rawstringconst:1:2: unterminated raw quoted string"sv},
    {"number", "{{0xi}}"sv, false, "template: number:1:2: illegal number syntax: \"0xi\""sv},
    {"multidefine", "{{define `a`}}a{{end}}{{define `a`}}b{{end}}"sv, false, "template: multidefine:1:42: template: multiple definition of template \"a\""sv},
    {"eof", "{{range .X}}"sv, false, "template: eof:1:12: unexpected EOF"sv},
    {"variable", "{{$x := 23}}{{with $x.y := 3}}{{$x 23}}{{end}}"sv, false, "template: variable:1:24: unexpected \":=\" in operand"sv},
    {"multidecl", "{{$a,$b,$c := 23}}"sv, false, "template: multidecl:1:4: too many declarations in command"sv},
    {"undefvar", "{{$a}}"sv, false, "template: undefvar:1:4: undefined variable \"$a\""sv},
    {"wrongdot", "{{true.any}}"sv, false, "template: wrongdot:1:10: unexpected . after term \"true\""sv},
    {"wrongpipeline", "{{12|false}}"sv, false, "template: wrongpipeline:1:10: non executable command in pipeline stage 2"sv},
    {"emptypipeline", "{{ ( ) }}"sv, false, "template: emptypipeline:1:5: missing value for parenthesized pipeline"sv},
    {"multilinerawstring", "{{ $v := `\n` }} {{"sv, false, "template: multilinerawstring:2:7: unclosed action"sv},
    {"rangeundefvar", "{{range $k}}{{end}}"sv, false, "template: rangeundefvar:1:10: undefined variable \"$k\""sv},
    {"rangeundefvars", "{{range $k, $v}}{{end}}"sv, false, "template: rangeundefvars:1:14: undefined variable \"$v\""sv},
    {"rangemissingvalue1", "{{range $k,}}{{end}}"sv, false, "template: rangemissingvalue1:1:11: missing value for range"sv},
    {"rangemissingvalue2", "{{range $k, $v := }}{{end}}"sv, false, "template: rangemissingvalue2:1:18: missing value for range"sv},
    {"rangenotvariable1", "{{range $k, .}}{{end}}"sv, false, "template: rangenotvariable1:1:12: range can only initialize variables"sv},
    {"rangenotvariable2", "{{range $k, 123 := .}}{{end}}"sv, false, "template: rangenotvariable2:1:12: range can only initialize variables"sv},
    {"empty definition", "{{define \"x\"}}something{{end}}"sv, true, "empty definition=\nx=something"sv},
    {"definitions and space", "{{define `x`}}something{{end}}\n\n{{define `y`}}something{{end}}\n\n"sv, true, "definitions and space=\n\n\n\n\nx=something\ny=something"sv},
    {"definitions and text", "{{define `x`}}something{{end}}\nx\n{{define `y`}}something{{end}}\ny\n"sv, true, "definitions and text=\nx\n\ny\n\nx=something\ny=something"sv},
    {"definition and action", "{{define `x`}}something{{end}}{{if 3}}foo{{end}}"sv, true, "definition and action={{if 3}}foo{{end}}\nx=something"sv},
    {"block in text", "a{{block \"inner\" .}}bar{{.}}baz{{end}}b"sv, true, "block in text=a{{template \"inner\" .}}b\ninner=bar{{.}}baz"sv},
    {"trailing pipe", "{{\"x\" | }}"sv, true, "trailing pipe={{\"x\"}}"sv},
    {"trailing pipe in parens", "{{(1|)}}"sv, true, "trailing pipe in parens={{(1)}}"sv},
    {"trailing pipe after args", "{{printf \"%d\" 1 |}}"sv, true, "trailing pipe after args={{printf \"%d\" 1}}"sv},
    {"double pipe", "{{.X | | .Y}}"sv, false, "template: double pipe:1:7: unexpected \"|\" in command"sv},
    {"spaced comment", "{{ /* c */ }}"sv, false, "template: spaced comment:1:3: unexpected \"/\" in command"sv},
    {"trimmed comment without spaces", "a{{-/* c */-}}b"sv, false, "template: trimmed comment without spaces:1:3: illegal number syntax: \"-\""sv},
    {"minus three", "{{-3}}"sv, true, "minus three={{-3}}"sv},
    {"trim marker without space", "a {{3-}} b"sv, false, "template: trim marker without space:1:4: bad number syntax: \"3-\""sv},
    {"comment then space", "{{/*\nx*/ }}"sv, false, "template: comment then space:1:2: comment ends before closing delimiter"sv},
    {"else with", "{{with 1}}{{else with 2}}{{end}}"sv, false, "template: else with:1:17: unexpected <with> in else"sv},
    {"else if in with", "{{with 1}}{{else if 2}}{{end}}"sv, false, "template: else if in with:1:17: unexpected <if> in input"sv},
    {"else if in range", "{{range 1}}{{else if 2}}{{end}}"sv, false, "template: else if in range:1:18: unexpected <if> in input"sv},
    {"break with args", "{{range .}}{{break 1}}{{end}}"sv, false, "template: break with args:1:19: unexpected \"1\" in {{break}}"sv},
    {"continue with args", "{{range .}}{{continue .}}{{end}}"sv, false, "template: continue with args:1:22: unexpected <.> in {{continue}}"sv},
    {"break in if in range", "{{range .}}{{if .}}{{break}}{{else}}{{continue}}{{end}}{{end}}"sv, true, "break in if in range={{range .}}{{if .}}{{break}}{{else}}{{continue}}{{end}}{{end}}"sv},
    {"break in with in range", "{{range .}}{{with .}}{{break}}{{end}}{{end}}"sv, true, "break in with in range={{range .}}{{with .}}{{break}}{{end}}{{end}}"sv},
    {"break in block in range", "{{range .}}{{block \"b\" .}}{{break}}{{end}}{{end}}"sv, false, "template: break in block in range:1:33: {{break}} outside {{range}}"sv},
    {"break in nested range", "{{range .}}{{range .}}{{break}}{{end}}{{continue}}{{end}}"sv, true, "break in nested range={{range .}}{{range .}}{{break}}{{end}}{{continue}}{{end}}"sv},
    {"break in range of else", "{{range .}}{{else}}{{range .}}{{break}}{{end}}{{end}}"sv, true, "break in range of else={{range .}}{{else}}{{range .}}{{break}}{{end}}{{end}}"sv},
    {"break as function", "{{break}}"sv, false, "template: break as function:1:7: {{break}} outside {{range}}"sv},
    {"variable not visible in define", "{{$x := 1}}{{define \"a\"}}{{$x}}{{end}}"sv, false, "template: variable not visible in define:1:29: undefined variable \"$x\""sv},
    {"variable not visible in block", "{{$x := 1}}{{block \"a\" .}}{{$x}}{{end}}"sv, false, "template: variable not visible in block:1:30: undefined variable \"$x\""sv},
    {"dollar in define", "{{define \"a\"}}{{$}}{{$.X}}{{end}}"sv, true, "a={{$}}{{$.X}}\ndollar in define="sv},
    {"variable scope in if", "{{if true}}{{$x := 1}}{{end}}{{$x}}"sv, false, "template: variable scope in if:1:33: undefined variable \"$x\""sv},
    {"variable scope in else", "{{if true}}{{$x := 1}}{{else}}{{$x}}{{end}}"sv, true, "variable scope in else={{if true}}{{$x := 1}}{{else}}{{$x}}{{end}}"sv},
    {"variable from if pipeline in else", "{{if $x := 1}}{{else}}{{$x}}{{end}}{{$x}}"sv, false, "template: variable from if pipeline in else:1:39: undefined variable \"$x\""sv},
    {"variable in else if", "{{if $x := 1}}{{else if $y := $x}}{{$y}}{{end}}"sv, true, "variable in else if={{if $x := 1}}{{else}}{{if $y := $x}}{{$y}}{{end}}{{end}}"sv},
    {"variable after else if", "{{if 1}}{{else if $y := 2}}{{end}}{{$y}}"sv, false, "template: variable after else if:1:38: undefined variable \"$y\""sv},
    {"assign", "{{$x := 1}}{{$x = 2}}{{$x}}"sv, true, "assign={{$x := 1}}{{$x := 2}}{{$x}}"sv},
    {"assign undeclared", "{{$x = 2}}{{$x}}"sv, true, "assign undeclared={{$x := 2}}{{$x}}"sv},
    {"assign in range", "{{$x := 1}}{{range $x = .}}{{end}}"sv, true, "assign in range={{$x := 1}}{{range $x := .}}{{end}}"sv},
    {"range two vars assign", "{{$i := 0}}{{$v := 0}}{{range $i, $v = .}}{{end}}"sv, true, "range two vars assign={{$i := 0}}{{$v := 0}}{{range $i, $v := .}}{{end}}"sv},
    {"range two vars no space", "{{range $i,$v := .}}{{$i}}{{$v}}{{end}}"sv, true, "range two vars no space={{range $i, $v := .}}{{$i}}{{$v}}{{end}}"sv},
    {"range var visible in else", "{{range $i, $v := .}}{{else}}{{$i}}{{end}}"sv, true, "range var visible in else={{range $i, $v := .}}{{else}}{{$i}}{{end}}"sv},
    {"range vars gone after end", "{{range $i, $v := .}}{{end}}{{$v}}"sv, false, "template: range vars gone after end:1:32: undefined variable \"$v\""sv},
    {"declare in parens", "{{($x := 1)}}{{$x}}"sv, true, "declare in parens={{($x := 1)}}{{$x}}"sv},
    {"declare self reference", "{{$x := $x}}"sv, true, "declare self reference={{$x := $x}}"sv},
    {"variable fields", "{{$x := .}}{{$x.A.B}} {{$.C}}"sv, true, "variable fields={{$x := .}}{{$x.A.B}} {{$.C}}"sv},
    {"variable then dot", "{{$.}}"sv, false, "template: variable then dot:1:3: unexpected <.> in operand"sv},
    {"variable bad char", "{{$x := 1}}{{$x-1}}"sv, false, "template: variable bad char:1:13: bad character U+002D '-'"sv},
    {"variable unicode", "{{$\303\261 := 1}}{{$\303\261}}"sv, true, "variable unicode={{$\303\261 := 1}}{{$\303\261}}"sv},
    {"two decls with comma in with", "{{with $a, $b := 1}}{{end}}"sv, false, "template: two decls with comma in with:1:9: too many declarations in with"sv},
    {"decl in template pipeline", "{{template \"x\" $y := 1}}{{$y}}"sv, true, "decl in template pipeline={{template \"x\" $y := 1}}{{$y}}"sv},
    {"decl in block pipeline", "{{block \"x\" $y := 1}}{{end}}{{$y}}"sv, true, "decl in block pipeline={{template \"x\" $y := 1}}{{$y}}\nx="sv},
    {"field chain", "{{.A.B.C}}"sv, true, "field chain={{.A.B.C}}"sv},
    {"chain on parens", "{{(.X).Y.Z}}"sv, true, "chain on parens={{(.X).Y.Z}}"sv},
    {"chain on function", "{{printf.A}}"sv, true, "chain on function={{printf.A}}"sv},
    {"chain on parenthesized function", "{{(printf \"a\").B.C}}"sv, true, "chain on parenthesized function={{(printf \"a\").B.C}}"sv},
    {"chain on pipe arg", "{{printf \"%v\" (.A | printf).B}}"sv, true, "chain on pipe arg={{printf \"%v\" (.A | printf).B}}"sv},
    {"chain on variable after parens", "{{$x := 1}}{{($x).Y}}"sv, true, "chain on variable after parens={{$x := 1}}{{($x).Y}}"sv},
    {"nil command", "{{nil}}"sv, true, "nil command={{nil}}"sv},
    {"nil argument", "{{printf \"%v\" nil}}"sv, true, "nil argument={{printf \"%v\" nil}}"sv},
    {"dot then variable", "{{. $}}"sv, true, "dot then variable={{. $}}"sv},
    {"unicode field", "{{.\303\221ame.\303\237}}"sv, true, "unicode field={{.\303\221ame.\303\237}}"sv},
    {"unicode function", "{{\306\222}}"sv, true, "unicode function={{\306\222}}"sv},
    {"identifier with digits", "{{.X1_2}}"sv, true, "identifier with digits={{.X1_2}}"sv},
    {"pipeline to function", "{{.X | printf \"%d\" | printf \"%s\"}}"sv, true, "pipeline to function={{.X | printf \"%d\" | printf \"%s\"}}"sv},
    {"pipeline to variable", "{{$x := 1}}{{1 | $x}}"sv, true, "pipeline to variable={{$x := 1}}{{1 | $x}}"sv},
    {"pipeline to field", "{{1 | .X}}"sv, true, "pipeline to field={{1 | .X}}"sv},
    {"pipeline to chain", "{{1 | (.X).Y}}"sv, true, "pipeline to chain={{1 | (.X).Y}}"sv},
    {"pipeline to parens", "{{1 | (printf)}}"sv, true, "pipeline to parens={{1 | (printf)}}"sv},
    {"paren with spaces", "{{( .X )}}"sv, true, "paren with spaces={{(.X)}}"sv},
    {"nested parens", "{{((1))}}"sv, true, "nested parens={{((1))}}"sv},
    {"empty parens", "{{()}}"sv, false, "template: empty parens:1:3: missing value for parenthesized pipeline"sv},
    {"unbalanced right paren", "{{1)}}"sv, false, "template: unbalanced right paren:1:3: unexpected \")\" in command"sv},
    {"comma alone", "{{,}}"sv, false, "template: comma alone:1:2: unexpected \",\" in command"sv},
    {"assign alone", "{{=}}"sv, false, "template: assign alone:1:2: unexpected \"=\" in command"sv},
    {"declare alone", "{{:=}}"sv, false, "template: declare alone:1:2: unexpected \":=\" in command"sv},
    {"colon alone", "{{:}}"sv, false, "template: colon alone:1:2: expected :="sv},
    {"bad char after identifier", "{{printf!}}"sv, false, "template: bad char after identifier:1:2: bad character U+0021 '!'"sv},
    {"bad char after field", "{{.X!}}"sv, false, "template: bad char after field:1:2: bad character U+0021 '!'"sv},
    {"unprintable", "#{{\001}}"sv, false, "template: unprintable:1:3: unrecognized character in action: U+0001"sv},
    {"invalid utf8 in action", "{{\377}}"sv, false, "template: invalid utf8 in action:1:2: unrecognized character in action: U+FFFD '\357\277\275'"sv},
    {"non-ascii punctuation", "{{\302\253}}"sv, false, "template: non-ascii punctuation:1:2: unrecognized character in action: U+00AB '\302\253'"sv},
    {"keyword as field", "{{.if.range}}"sv, true, "keyword as field={{.if.range}}"sv},
    {"keyword as argument", "{{printf if}}"sv, false, "template: keyword as argument:1:9: unexpected <if> in operand"sv},
    {"define inside define", "{{define \"a\"}}{{define \"b\"}}{{end}}{{end}}"sv, false, "template: define inside define:1:16: unexpected <define> in command"sv},
    {"define inside if", "{{if 1}}{{define \"b\"}}{{end}}{{end}}"sv, false, "template: define inside if:1:10: unexpected <define> in command"sv},
    {"template with pipeline", "{{template \"x\" . | printf}}"sv, true, "template with pipeline={{template \"x\" . | printf}}"sv},
    {"template name escape", "{{template \"a\\tb\"}}"sv, true, "template name escape={{template \"a\\tb\"}}"sv},
    {"template bad name", "{{template \"\\z\"}}"sv, false, "template: template bad name:1:11: invalid syntax"sv},
    {"template no name", "{{template}}"sv, false, "template: template no name:1:10: unexpected \"}}\" in template clause"sv},
    {"template number name", "{{template 1}}"sv, false, "template: template number name:1:11: unexpected \"1\" in template clause"sv},
    {"define raw name", "{{define `a`}}A{{end}}"sv, true, "a=A\ndefine raw name="sv},
    {"define with trim", "{{- define \"a\" -}}\n A \n{{- end -}}\n"sv, true, "a=A\ndefine with trim="sv},
    {"define no name", "{{define}}x{{end}}"sv, false, "template: define no name:1:8: unexpected \"}}\" in define clause"sv},
    {"define extra arg", "{{define \"a\" .}}x{{end}}"sv, false, "template: define extra arg:1:13: unexpected <.> in define clause"sv},
    {"define bad name", "{{define \"\\q\"}}x{{end}}"sv, false, "template: define bad name:1:9: invalid syntax"sv},
    {"define with else", "{{define \"a\"}}x{{else}}y{{end}}"sv, false, "template: define with else:1:21: unexpected {{else}} in define clause"sv},
    {"define unclosed", "{{define \"a\"}}x"sv, false, "template: define unclosed:1:15: unexpected EOF"sv},
    {"define empty then full", "{{define \"a\"}} {{end}}{{define \"a\"}}full{{end}}"sv, true, "a=full\ndefine empty then full="sv},
    {"define full then empty", "{{define \"a\"}}full{{end}}{{define \"a\"}} {{end}}"sv, true, "a=full\ndefine full then empty="sv},
    {"define comment only then full", "{{define \"a\"}}{{/* c */}}{{end}}{{define \"a\"}}x{{end}}"sv, true, "a=x\ndefine comment only then full="sv},
    {"define same as top", "{{define \"define same as top\"}}inner{{end}}"sv, true, "define same as top=inner"sv},
    {"define same as top with text", "text{{define \"define same as top with text\"}}inner{{end}}"sv, false, "template: define same as top with text:1:57: template: multiple definition of template \"define same as top with text\""sv},
    {"define nbsp body", "{{define \"a\"}}\302\240\342\200\203{{end}}{{define \"a\"}}x{{end}}"sv, true, "a=x\ndefine nbsp body="sv},
    {"block redefines", "{{define \"a\"}}A{{end}}{{block \"a\" .}}B{{end}}"sv, false, "template: block redefines:1:43: template: multiple definition of template \"a\""sv},
    {"block with else", "{{block \"a\" .}}x{{else}}y{{end}}"sv, false, "template: block with else:1:13: unexpected {{else}} in block clause"sv},
    {"block with else multiline", "{{block \"a\" .}}\nx\n{{else}}\ny{{end}}"sv, false, "template: block with else multiline:1:13: unexpected {{else}} in block clause"sv},
    {"block unclosed", "{{block \"a\" .}}x"sv, false, "template: block unclosed:1:16: unexpected EOF"sv},
    {"block nested", "{{block \"a\" .}}{{block \"b\" .}}in{{end}}{{end}}"sv, true, "a={{template \"b\" .}}\nb=in\nblock nested={{template \"a\" .}}"sv},
    {"block no name", "{{block . .}}{{end}}"sv, false, "template: block no name:1:8: unexpected <.> in block clause"sv},
    {"end with args", "{{if 1}}{{end 1}}"sv, false, "template: end with args:1:14: unexpected \"1\" in end"sv},
    {"else with args", "{{if 1}}{{else 1}}{{end}}"sv, false, "template: else with args:1:15: unexpected \"1\" in else"sv},
    {"if without pipeline", "a\n{{if}}{{end}}"sv, false, "template: if without pipeline:2:4: missing value for if"sv},
    {"range without pipeline", "{{range}}{{end}}"sv, false, "template: range without pipeline:1:7: missing value for range"sv},
    {"with without pipeline", "{{with}}{{end}}"sv, false, "template: with without pipeline:1:6: missing value for with"sv},
    {"if only decl", "{{if $x := }}{{end}}"sv, false, "template: if only decl:1:11: missing value for if"sv},
    {"else else", "{{if 1}}{{else}}{{else}}{{end}}"sv, false, "template: else else:1:22: expected end; found {{else}}"sv},
    {"else if else", "{{if 1}}a{{else if 2}}b{{else}}c{{end}}"sv, true, "else if else={{if 1}}a{{else}}{{if 2}}b{{else}}c{{end}}{{end}}"sv},
    {"else if unclosed", "{{if 1}}a{{else if 2}}b"sv, false, "template: else if unclosed:1:23: unexpected EOF"sv},
    {"strings", "{{\"a\\tb\\u00e9\\U0001F600\\x41\\101\\\\\\\"\"}}"sv, true, "strings={{\"a\\tb\\u00e9\\U0001F600\\x41\\101\\\\\\\"\"}}"sv},
    {"string invalid escape", "{{\"\\z\"}}"sv, false, "template: string invalid escape:1:2: invalid syntax"sv},
    {"string invalid utf8", "{{\"\377\"}}"sv, true, "string invalid utf8={{\"\377\"}}"sv},
    {"string byte escapes", "{{\"\\xff\\377\"}}"sv, true, "string byte escapes={{\"\\xff\\377\"}}"sv},
    {"string surrogate escape", "{{\"\\ud800\"}}"sv, false, "template: string surrogate escape:1:2: invalid syntax"sv},
    {"string single quote escape", "{{\"\\'\"}}"sv, false, "template: string single quote escape:1:2: invalid syntax"sv},
    {"raw string", "{{`a\\nb`}}"sv, true, "raw string={{`a\\nb`}}"sv},
    {"raw string crlf", "{{`a\r\nb`}}"sv, true, "raw string crlf={{`a\r\nb`}}"sv},
    {"raw string multiline", "{{`a\nb`}}\n{{.X}}"sv, true, "raw string multiline={{`a\nb`}}\n{{.X}}"sv},
    {"chars", "{{'a' '\\n' '\\'' '\\\\' '\\u00FF' '\\xFF' '\346\234\254' '\\377' '\\U0001F600'}}"sv, true, "chars={{'a' '\\n' '\\'' '\\\\' '\\u00FF' '\\xFF' '\346\234\254' '\\377' '\\U0001F600'}}"sv},
    {"char empty", "{{''}}"sv, false, "template: char empty:1:2: invalid syntax"sv},
    {"char two", "{{'ab'}}"sv, false, "template: char two:1:2: malformed character constant: 'ab'"sv},
    {"char double quote escape", "{{'\\\"'}}"sv, false, "template: char double quote escape:1:2: invalid syntax"sv},
    {"char bad octal", "{{'\\400'}}"sv, false, "template: char bad octal:1:2: invalid syntax"sv},
    {"char surrogate", "{{'\\ud800'}}"sv, false, "template: char surrogate:1:2: invalid syntax"sv},
    {"char too big", "{{'\\U00110000'}}"sv, false, "template: char too big:1:2: invalid syntax"sv},
    {"char big number", "{{'433937734937734969526500969526500'}}"sv, false, "template: char big number:1:2: malformed character constant: '433937734937734969526500969526500'"sv},
    {"char invalid utf8", "{{'\377'}}"sv, true, "char invalid utf8={{'\377'}}"sv},
    {"bools and nil", "{{printf \"%v\" true false nil}}"sv, true, "bools and nil={{printf \"%v\" true false nil}}"sv},
    {"numbers", "{{printf \"%v\" 0 -0 73 7_3 0b1001 0B1 073 0o73 0O7 0x73 0X7F -73 +73 1e9 -1e9 -1.2 1e19 1e1_9 0x_1p4 0x_1p-4 4i -1.2+4.2i 073i 0i -1.2+0i -12+0i 13+0i 0123 -0x0 0xdeadbeef 0xef}}"sv, true, "numbers={{printf \"%v\" 0 -0 73 7_3 0b1001 0B1 073 0o73 0O7 0x73 0X7F -73 +73 1e9 -1e9 -1.2 1e19 1e1_9 0x_1p4 0x_1p-4 4i -1.2+4.2i 073i 0i -1.2+0i -12+0i 13+0i 0123 -0x0 0xdeadbeef 0xef}}"sv},
    {"number forms", "{{printf \"%v\" .5 5. 1.e3 -.5 0x1p-1074 0x1p-1075 1e-400 -1e-400 -0.0 1e308 0x1.fffffffffffffp1023 18446744073709551615 18446744073709551616.0 9223372036854775807 -9223372036854775808 9223372036854775808 1.5e300i 0x1.8p1 1_000.000_1 0.1e+1_0}}"sv, true, "number forms={{printf \"%v\" .5 5. 1.e3 -.5 0x1p-1074 0x1p-1075 1e-400 -1e-400 -0.0 1e308 0x1.fffffffffffffp1023 18446744073709551615 18446744073709551616.0 9223372036854775807 -9223372036854775808 9223372036854775808 1.5e300i 0x1.8p1 1_000.000_1 0.1e+1_0}}"sv},
    {"number integer overflow", "{{99999999999999999999}}"sv, false, "template: number integer overflow:1:2: integer overflow: \"99999999999999999999\""sv},
    {"number negative overflow", "{{-9223372036854775809}}"sv, false, "template: number negative overflow:1:2: integer overflow: \"-9223372036854775809\""sv},
    {"number hex overflow", "{{0xFFFFFFFFFFFFFFFFFFFF}}"sv, false, "template: number hex overflow:1:2: illegal number syntax: \"0xFFFFFFFFFFFFFFFFFFFF\""sv},
    {"number float overflow", "{{1e400}}"sv, false, "template: number float overflow:1:2: illegal number syntax: \"1e400\""sv},
    {"number bad octal", "{{08}}"sv, false, "template: number bad octal:1:2: integer overflow: \"08\""sv},
    {"number bad octal float", "{{08.5}}"sv, true, "number bad octal float={{08.5}}"sv},
    {"number octal prefix float", "{{0o1.5}}"sv, false, "template: number octal prefix float:1:2: illegal number syntax: \"0o1.5\""sv},
    {"number bad underscore", "{{1__0}}"sv, false, "template: number bad underscore:1:2: illegal number syntax: \"1__0\""sv},
    {"number trailing underscore", "{{10_}}"sv, false, "template: number trailing underscore:1:2: illegal number syntax: \"10_\""sv},
    {"number underscore after prefix", "{{0x_10}}"sv, true, "number underscore after prefix={{0x_10}}"sv},
    {"number underscore octal", "{{0_17}}"sv, true, "number underscore octal={{0_17}}"sv},
    {"number bare prefix", "{{0x}}"sv, false, "template: number bare prefix:1:2: illegal number syntax: \"0x\""sv},
    {"number bare binary", "{{0b}}"sv, false, "template: number bare binary:1:2: illegal number syntax: \"0b\""sv},
    {"number bad binary", "{{0b2}}"sv, false, "template: number bad binary:1:2: bad number syntax: \"0b2\""sv},
    {"number lone dot", "{{printf .}}"sv, true, "number lone dot={{printf .}}"sv},
    {"number dot at end", "{{1 ."sv, false, "template: number dot at end:1:4: illegal number syntax: \".\""sv},
    {"number plus", "{{+}}"sv, false, "template: number plus:1:2: illegal number syntax: \"+\""sv},
    {"number minus", "{{-}}"sv, false, "template: number minus:1:2: illegal number syntax: \"-\""sv},
    {"number plus minus", "{{+-2}}"sv, false, "template: number plus minus:1:2: bad number syntax: \"+-2\""sv},
    {"number hex dot", "{{0x123.}}"sv, false, "template: number hex dot:1:2: illegal number syntax: \"0x123.\""sv},
    {"number exp dot", "{{1e.}}"sv, false, "template: number exp dot:1:2: illegal number syntax: \"1e\""sv},
    {"number hex i dot", "{{0xi.}}"sv, false, "template: number hex i dot:1:2: illegal number syntax: \"0xi\""sv},
    {"number complex dot", "{{1+2.}}"sv, false, "template: number complex dot:1:2: bad number syntax: \"1+2.\""sv},
    {"number hex float no exponent", "{{0x1.8}}"sv, false, "template: number hex float no exponent:1:2: illegal number syntax: \"0x1.8\""sv},
    {"number letters", "{{3k}}"sv, false, "template: number letters:1:2: bad number syntax: \"3k\""sv},
    {"number imaginary hex", "{{0x10i}}"sv, false, "template: number imaginary hex:1:2: illegal number syntax: \"0x10i\""sv},
    {"number imaginary bad", "{{1e400i}}"sv, false, "template: number imaginary bad:1:2: illegal number syntax: \"1e400i\""sv},
    {"complex imag imag", "{{1i+2i}}"sv, false, "template: complex imag imag:1:2: syntax error scanning complex number"sv},
    {"complex hex real", "{{0x10+1i}}"sv, false, "template: complex hex real:1:2: strconv.ParseFloat: parsing \"0x10\": invalid syntax"sv},
    {"complex hex float real", "{{0x1p1+1i}}"sv, true, "complex hex float real={{0x1p1+1i}}"sv},
    {"complex octal real", "{{0o17+1i}}"sv, false, "template: complex octal real:1:2: syntax error scanning complex number"sv},
    {"complex binary real", "{{0b1+1i}}"sv, false, "template: complex binary real:1:2: syntax error scanning complex number"sv},
    {"complex leading zero", "{{017+1i}}"sv, true, "complex leading zero={{017+1i}}"sv},
    {"complex exponent", "{{1e+5+2e-1i}}"sv, true, "complex exponent={{1e+5+2e-1i}}"sv},
    {"complex real overflow", "{{1e400+1i}}"sv, false, "template: complex real overflow:1:2: strconv.ParseFloat: parsing \"1e400\": value out of range"sv},
    {"complex imag overflow", "{{1+1e400i}}"sv, false, "template: complex imag overflow:1:2: strconv.ParseFloat: parsing \"+1e400\": value out of range"sv},
    {"complex underscores", "{{1_0+2_0i}}"sv, true, "complex underscores={{1_0+2_0i}}"sv},
    {"complex bad underscores", "{{1__0+2i}}"sv, false, "template: complex bad underscores:1:2: strconv.ParseFloat: parsing \"1__0\": invalid syntax"sv},
    {"complex minus", "{{-1-1i}}"sv, true, "complex minus={{-1-1i}}"sv},
    {"complex no i", "{{1+2}}"sv, false, "template: complex no i:1:2: bad number syntax: \"1+2\""sv},
    {"complex zero imag negative", "{{-0-0i}}"sv, true, "complex zero imag negative={{-0-0i}}"sv},
    {"complex big real", "{{1e19+0i}}"sv, true, "complex big real={{1e19+0i}}"sv},
    {"unclosed action after if", "{{if .X}}\nfoo\n{{"sv, false, "template: unclosed action after if:3:2: unclosed action"sv},
    {"unclosed action multiline", "{{if\n.X"sv, false, "template: unclosed action multiline:2:2: unclosed action started at unclosed action multiline:1"sv},
    {"unterminated string multiline", "{{if\n\"abc"sv, false, "template: unterminated string multiline:2:0: unterminated quoted string in action started at unterminated string multiline:1"sv},
    {"unterminated raw multiline", "a\n{{`abc\ndef"sv, false, "template: unterminated raw multiline:2:2: unterminated raw quoted string"sv},
    {"unclosed paren multiline", "{{(1\n}}"sv, false, "template: unclosed paren multiline:2:0: unclosed left paren in action started at unclosed paren multiline:1"sv},
    {"bad number multiline", "{{1\n3k}}"sv, false, "template: bad number multiline:2:0: bad number syntax: \"3k\" in action started at bad number multiline:1"sv},
    {"unclosed comment multiline", "a\nb{{/* abc\n\n"sv, false, "template: unclosed comment multiline:2:3: unclosed comment"sv},
    {"comment not closed at delim multiline", "a\n{{/* abc\n*/ x}}"sv, false, "template: comment not closed at delim multiline:2:2: comment ends before closing delimiter"sv},
    {"unexpected right paren multiline", "{{\n\n)}}"sv, false, "template: unexpected right paren multiline:3:0: unexpected \")\" in command"sv},
    {"expected declare", "{{$x :1}}"sv, false, "template: expected declare:1:5: undefined variable \"$x\""sv},
    {"unclosed action with spaces", "{{ "sv, false, "template: unclosed action with spaces:1:3: unclosed action"sv},
    {"unclosed action with trim", "{{- "sv, false, "template: unclosed action with trim:1:4: unclosed action"sv},
    {"unclosed action after right trim start", "{{ -"sv, false, "template: unclosed action after right trim start:1:3: illegal number syntax: \"-\""sv},
    {"text with actions", "a{{.X}}b\n{{.Y}}c"sv, true, "text with actions=a{{.X}}b\n{{.Y}}c"sv},
    {"trim both sides multiline", "a \n\n{{- .X -}} \n\n b"sv, true, "trim both sides multiline=a{{.X}}b"sv},
    {"trim newline marker", "a\n{{-\n.X\n-}}\nb"sv, true, "trim newline marker=a{{.X}}b"sv},
    {"trim with tab", "a\t{{-\t.X\t-}}\tb"sv, true, "trim with tab=a{{.X}}b"sv},
    {"trim right only spaces", "{{.X -}}   "sv, true, "trim right only spaces={{.X}}"sv},
    {"trim left everything", "   {{- .X}}"sv, true, "trim left everything={{.X}}"sv},
    {"trim before comment with newlines", "a\n\n{{- /* x\ny */ -}}\n\nb{{.X}}"sv, true, "trim before comment with newlines=ab{{.X}}"sv},
    {"unmatched right delimiter", "hello-{.}}-world"sv, true, "unmatched right delimiter=hello-{.}}-world"sv},
    {"crlf text", "a\r\n{{.X}}\r\nb"sv, true, "crlf text=a\r\n{{.X}}\r\nb"sv},
    {"not quite trim", "{{.X-}}"sv, false, "template: not quite trim:1:2: bad character U+002D '-'"sv},
    {"minus field", "{{ -.5}}"sv, true, "minus field={{-.5}}"sv},
};

// The successful cases of kParseTests again, with positions, lines and
// constant values.
const ParseTest kDumpTests[] = {
    {"empty", ""sv, true, "empty=L@0[]"sv},
    {"comment", "{{/*\n\n\n*/}}"sv, true, "comment=L@11[]"sv},
    {"spaces", " \t\n"sv, true, "spaces=L@0[T@0\" \\t\\n\"]"sv},
    {"text", "some text"sv, true, "text=L@0[T@0\"some text\"]"sv},
    {"field", "{{.X}}"sv, true, "field=L@0[A@2:1(P@2:1[|C@2(F@2:.X)])]"sv},
    {"simple command", "{{printf}}"sv, true, "simple command=L@0[A@2:1(P@2:1[|C@2(I@2:printf)])]"sv},
    {"$ invocation", "{{$}}"sv, true, "$ invocation=L@0[A@2:1(P@2:1[|C@2(V@2:$)])]"sv},
    {"variable invocation", "{{with $x := 3}}{{$x 23}}{{end}}"sv, true, "variable invocation=L@0[With@7:1(P@7:1[V@7:$x|C@13(Num@13:3 i=3 u=3 f=3)];L@16[A@18:1(P@18:1[|C@18(V@18:$x Num@21:23 i=23 u=23 f=23)])];nil)]"sv},
    {"variable with fields", "{{$.I}}"sv, true, "variable with fields=L@0[A@2:1(P@2:1[|C@2(V@3:$.I)])]"sv},
    {"multi-word command", "{{printf `%d` 23}}"sv, true, "multi-word command=L@0[A@2:1(P@2:1[|C@2(I@2:printf S@9:`%d`=\"%d\" Num@14:23 i=23 u=23 f=23)])]"sv},
    {"pipeline", "{{.X|.Y}}"sv, true, "pipeline=L@0[A@2:1(P@2:1[|C@2(F@2:.X),C@5(F@5:.Y)])]"sv},
    {"pipeline with decl", "{{$x := .X|.Y}}"sv, true, "pipeline with decl=L@0[A@2:1(P@2:1[V@2:$x|C@8(F@8:.X),C@11(F@11:.Y)])]"sv},
    {"nested pipeline", "{{.X (.Y .Z) (.A | .B .C) (.E)}}"sv, true, "nested pipeline=L@0[A@2:1(P@2:1[|C@2(F@2:.X P@6:1[|C@6(F@6:.Y F@9:.Z)] P@14:1[|C@14(F@14:.A),C@19(F@19:.B F@22:.C)] P@27:1[|C@27(F@27:.E)])])]"sv},
    {"field applied to parentheses", "{{(.Y .Z).Field}}"sv, true, "field applied to parentheses=L@0[A@2:1(P@2:1[|C@2(Ch@9(P@3:1[|C@3(F@3:.Y F@6:.Z)]).Field)])]"sv},
    {"simple if", "{{if .X}}hello{{end}}"sv, true, "simple if=L@0[If@5:1(P@5:1[|C@5(F@5:.X)];L@9[T@9\"hello\"];nil)]"sv},
    {"if with else", "{{if .X}}true{{else}}false{{end}}"sv, true, "if with else=L@0[If@5:1(P@5:1[|C@5(F@5:.X)];L@9[T@9\"true\"];L@21[T@21\"false\"])]"sv},
    {"if with else if", "{{if .X}}true{{else if .Y}}false{{end}}"sv, true, "if with else if=L@0[If@5:1(P@5:1[|C@5(F@5:.X)];L@9[T@9\"true\"];L@20[If@23:1(P@23:1[|C@23(F@23:.Y)];L@27[T@27\"false\"];nil)])]"sv},
    {"if else chain", "+{{if .X}}X{{else if .Y}}Y{{else if .Z}}Z{{end}}+"sv, true, "if else chain=L@0[T@0\"+\",If@6:1(P@6:1[|C@6(F@6:.X)];L@10[T@10\"X\"];L@18[If@21:1(P@21:1[|C@21(F@21:.Y)];L@25[T@25\"Y\"];L@33[If@36:1(P@36:1[|C@36(F@36:.Z)];L@40[T@40\"Z\"];nil)])]),T@48\"+\"]"sv},
    {"simple range", "{{range .X}}hello{{end}}"sv, true, "simple range=L@0[Range@8:1(P@8:1[|C@8(F@8:.X)];L@12[T@12\"hello\"];nil)]"sv},
    {"chained field range", "{{range .X.Y.Z}}hello{{end}}"sv, true, "chained field range=L@0[Range@8:1(P@8:1[|C@8(F@10:.X.Y.Z)];L@16[T@16\"hello\"];nil)]"sv},
    {"nested range", "{{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}"sv, true, "nested range=L@0[Range@8:1(P@8:1[|C@8(F@8:.X)];L@12[T@12\"hello\",Range@25:1(P@25:1[|C@25(F@25:.Y)];L@29[T@29\"goodbye\"];nil)];nil)]"sv},
    {"range with else", "{{range .X}}true{{else}}false{{end}}"sv, true, "range with else=L@0[Range@8:1(P@8:1[|C@8(F@8:.X)];L@12[T@12\"true\"];L@24[T@24\"false\"])]"sv},
    {"range over pipeline", "{{range .X|.M}}true{{else}}false{{end}}"sv, true, "range over pipeline=L@0[Range@8:1(P@8:1[|C@8(F@8:.X),C@11(F@11:.M)];L@15[T@15\"true\"];L@27[T@27\"false\"])]"sv},
    {"range []int", "{{range .SI}}{{.}}{{end}}"sv, true, "range []int=L@0[Range@8:1(P@8:1[|C@8(F@8:.SI)];L@13[A@15:1(P@15:1[|C@15(D@15)])];nil)]"sv},
    {"range 1 var", "{{range $x := .SI}}{{.}}{{end}}"sv, true, "range 1 var=L@0[Range@8:1(P@8:1[V@8:$x|C@14(F@14:.SI)];L@19[A@21:1(P@21:1[|C@21(D@21)])];nil)]"sv},
    {"range 2 vars", "{{range $x, $y := .SI}}{{.}}{{end}}"sv, true, "range 2 vars=L@0[Range@8:1(P@8:1[V@8:$x,V@12:$y|C@18(F@18:.SI)];L@23[A@25:1(P@25:1[|C@25(D@25)])];nil)]"sv},
    {"range with break", "{{range .SI}}{{.}}{{break}}{{end}}"sv, true, "range with break=L@0[Range@8:1(P@8:1[|C@8(F@8:.SI)];L@13[A@15:1(P@15:1[|C@15(D@15)]),Br@20:1];nil)]"sv},
    {"range with continue", "{{range .SI}}{{.}}{{continue}}{{end}}"sv, true, "range with continue=L@0[Range@8:1(P@8:1[|C@8(F@8:.SI)];L@13[A@15:1(P@15:1[|C@15(D@15)]),Co@20:1];nil)]"sv},
    {"constants", "{{range .SI 1 -3.2i true false 'a' nil}}{{end}}"sv, true, "constants=L@0[Range@8:1(P@8:1[|C@8(F@8:.SI Num@12:1 i=1 u=1 f=1 Num@14:-3.2i c=0,-3.2 B@20:true B@25:false Num@31:'a' i=97 u=97 f=97 N@35)];L@40[];nil)]"sv},
    {"template", "{{template `x`}}"sv, true, "template=L@0[Tm@11:1:\"x\"(nil)]"sv},
    {"template with arg", "{{template `x` .Y}}"sv, true, "template with arg=L@0[Tm@11:1:\"x\"(P@15:1[|C@15(F@15:.Y)])]"sv},
    {"with", "{{with .X}}hello{{end}}"sv, true, "with=L@0[With@7:1(P@7:1[|C@7(F@7:.X)];L@11[T@11\"hello\"];nil)]"sv},
    {"with with else", "{{with .X}}hello{{else}}goodbye{{end}}"sv, true, "with with else=L@0[With@7:1(P@7:1[|C@7(F@7:.X)];L@11[T@11\"hello\"];L@24[T@24\"goodbye\"])]"sv},
    {"trim left", "x \r\n\t{{- 3}}"sv, true, "trim left=L@0[T@0\"x\",A@9:2(P@9:2[|C@9(Num@9:3 i=3 u=3 f=3)])]"sv},
    {"trim right", "{{3 -}}\n\n\ty"sv, true, "trim right=L@0[A@2:1(P@2:1[|C@2(Num@2:3 i=3 u=3 f=3)]),T@10\"y\"]"sv},
    {"trim left and right", "x \r\n\t{{- 3 -}}\n\n\ty"sv, true, "trim left and right=L@0[T@0\"x\",A@9:2(P@9:2[|C@9(Num@9:3 i=3 u=3 f=3)]),T@17\"y\"]"sv},
    {"trim with extra spaces", "x\n{{-  3   -}}\ny"sv, true, "trim with extra spaces=L@0[T@0\"x\",A@7:2(P@7:2[|C@7(Num@7:3 i=3 u=3 f=3)]),T@15\"y\"]"sv},
    {"comment trim left", "x \r\n\t{{- /* hi */}}"sv, true, "comment trim left=L@0[T@0\"x\"]"sv},
    {"comment trim right", "{{/* hi */ -}}\n\n\ty"sv, true, "comment trim right=L@17[T@17\"y\"]"sv},
    {"comment trim left and right", "x \r\n\t{{- /* */ -}}\n\n\ty"sv, true, "comment trim left and right=L@0[T@0\"x\",T@21\"y\"]"sv},
    {"block definition", "{{block \"foo\" .}}hello{{end}}"sv, true, "block definition=L@0[Tm@8:1:\"foo\"(P@14:1[|C@14(D@14)])]\nfoo=L@17[T@17\"hello\"]"sv},
    {"newline in assignment", "{{ $x \n := \n 1 \n }}"sv, true, "newline in assignment=L@0[A@3:1(P@3:1[V@3:$x|C@13(Num@13:1 i=1 u=1 f=1)])]"sv},
    {"newline in pipeline", "{{\n\"x\"\n|\nprintf\n}}"sv, true, "newline in pipeline=L@0[A@3:2(P@3:2[|C@3(S@3:\"x\"=\"x\"),C@9(I@9:printf)])]"sv},
    {"newline in comment", "{{/*\nhello\n*/}}"sv, true, "newline in comment=L@15[]"sv},
    {"newline in comment trimmed", "{{-\n/*\nhello\n*/\n-}}"sv, true, "newline in comment trimmed=L@19[]"sv},
    {"spaces around continue", "{{range .SI}}{{.}}{{ continue }}{{end}}"sv, true, "spaces around continue=L@0[Range@8:1(P@8:1[|C@8(F@8:.SI)];L@13[A@15:1(P@15:1[|C@15(D@15)]),Co@21:1];nil)]"sv},
    {"spaces around break", "{{range .SI}}{{.}}{{ break }}{{end}}"sv, true, "spaces around break=L@0[Range@8:1(P@8:1[|C@8(F@8:.SI)];L@13[A@15:1(P@15:1[|C@15(D@15)]),Br@21:1];nil)]"sv},
    {"bug0a", "{{$x := 0}}{{$x}}"sv, true, "bug0a=L@0[A@2:1(P@2:1[V@2:$x|C@8(Num@8:0 i=0 u=0 f=0)]),A@13:1(P@13:1[|C@13(V@13:$x)])]"sv},
    {"bug1c", "{{$x:=.}}{{$x +2}}"sv, true, "bug1c=L@0[A@2:1(P@2:1[V@2:$x|C@6(D@6)]),A@11:1(P@11:1[|C@11(V@11:$x Num@14:+2 i=2 f=2)])]"sv},
    {"empty definition", "{{define \"x\"}}something{{end}}"sv, true, "empty definition=L@0[]\nx=L@14[T@14\"something\"]"sv},
    {"definitions and space", "{{define `x`}}something{{end}}\n\n{{define `y`}}something{{end}}\n\n"sv, true, "definitions and space=L@0[T@30\"\\n\\n\",T@62\"\\n\\n\"]\nx=L@14[T@14\"something\"]\ny=L@46[T@46\"something\"]"sv},
    {"definitions and text", "{{define `x`}}something{{end}}\nx\n{{define `y`}}something{{end}}\ny\n"sv, true, "definitions and text=L@0[T@30\"\\nx\\n\",T@63\"\\ny\\n\"]\nx=L@14[T@14\"something\"]\ny=L@47[T@47\"something\"]"sv},
    {"definition and action", "{{define `x`}}something{{end}}{{if 3}}foo{{end}}"sv, true, "definition and action=L@0[If@35:1(P@35:1[|C@35(Num@35:3 i=3 u=3 f=3)];L@38[T@38\"foo\"];nil)]\nx=L@14[T@14\"something\"]"sv},
    {"block in text", "a{{block \"inner\" .}}bar{{.}}baz{{end}}b"sv, true, "block in text=L@0[T@0\"a\",Tm@9:1:\"inner\"(P@17:1[|C@17(D@17)]),T@38\"b\"]\ninner=L@20[T@20\"bar\",A@25:1(P@25:1[|C@25(D@25)]),T@28\"baz\"]"sv},
    {"trailing pipe", "{{\"x\" | }}"sv, true, "trailing pipe=L@0[A@2:1(P@2:1[|C@2(S@2:\"x\"=\"x\")])]"sv},
    {"trailing pipe in parens", "{{(1|)}}"sv, true, "trailing pipe in parens=L@0[A@2:1(P@2:1[|C@2(P@3:1[|C@3(Num@3:1 i=1 u=1 f=1)])])]"sv},
    {"trailing pipe after args", "{{printf \"%d\" 1 |}}"sv, true, "trailing pipe after args=L@0[A@2:1(P@2:1[|C@2(I@2:printf S@9:\"%d\"=\"%d\" Num@14:1 i=1 u=1 f=1)])]"sv},
    {"minus three", "{{-3}}"sv, true, "minus three=L@0[A@2:1(P@2:1[|C@2(Num@2:-3 i=-3 f=-3)])]"sv},
    {"break in if in range", "{{range .}}{{if .}}{{break}}{{else}}{{continue}}{{end}}{{end}}"sv, true, "break in if in range=L@0[Range@8:1(P@8:1[|C@8(D@8)];L@11[If@16:1(P@16:1[|C@16(D@16)];L@19[Br@21:1];L@36[Co@38:1])];nil)]"sv},
    {"break in with in range", "{{range .}}{{with .}}{{break}}{{end}}{{end}}"sv, true, "break in with in range=L@0[Range@8:1(P@8:1[|C@8(D@8)];L@11[With@18:1(P@18:1[|C@18(D@18)];L@21[Br@23:1];nil)];nil)]"sv},
    {"break in nested range", "{{range .}}{{range .}}{{break}}{{end}}{{continue}}{{end}}"sv, true, "break in nested range=L@0[Range@8:1(P@8:1[|C@8(D@8)];L@11[Range@19:1(P@19:1[|C@19(D@19)];L@22[Br@24:1];nil),Co@40:1];nil)]"sv},
    {"break in range of else", "{{range .}}{{else}}{{range .}}{{break}}{{end}}{{end}}"sv, true, "break in range of else=L@0[Range@8:1(P@8:1[|C@8(D@8)];L@11[];L@19[Range@27:1(P@27:1[|C@27(D@27)];L@30[Br@32:1];nil)])]"sv},
    {"dollar in define", "{{define \"a\"}}{{$}}{{$.X}}{{end}}"sv, true, "a=L@14[A@16:1(P@16:1[|C@16(V@16:$)]),A@21:1(P@21:1[|C@21(V@22:$.X)])]\ndollar in define=L@0[]"sv},
    {"variable scope in else", "{{if true}}{{$x := 1}}{{else}}{{$x}}{{end}}"sv, true, "variable scope in else=L@0[If@5:1(P@5:1[|C@5(B@5:true)];L@11[A@13:1(P@13:1[V@13:$x|C@19(Num@19:1 i=1 u=1 f=1)])];L@30[A@32:1(P@32:1[|C@32(V@32:$x)])])]"sv},
    {"variable in else if", "{{if $x := 1}}{{else if $y := $x}}{{$y}}{{end}}"sv, true, "variable in else if=L@0[If@5:1(P@5:1[V@5:$x|C@11(Num@11:1 i=1 u=1 f=1)];L@14[];L@21[If@24:1(P@24:1[V@24:$y|C@30(V@30:$x)];L@34[A@36:1(P@36:1[|C@36(V@36:$y)])];nil)])]"sv},
    {"assign", "{{$x := 1}}{{$x = 2}}{{$x}}"sv, true, "assign=L@0[A@2:1(P@2:1[V@2:$x|C@8(Num@8:1 i=1 u=1 f=1)]),A@13:1(P@13:1=[V@13:$x|C@18(Num@18:2 i=2 u=2 f=2)]),A@23:1(P@23:1[|C@23(V@23:$x)])]"sv},
    {"assign undeclared", "{{$x = 2}}{{$x}}"sv, true, "assign undeclared=L@0[A@2:1(P@2:1=[V@2:$x|C@7(Num@7:2 i=2 u=2 f=2)]),A@12:1(P@12:1[|C@12(V@12:$x)])]"sv},
    {"assign in range", "{{$x := 1}}{{range $x = .}}{{end}}"sv, true, "assign in range=L@0[A@2:1(P@2:1[V@2:$x|C@8(Num@8:1 i=1 u=1 f=1)]),Range@19:1(P@19:1=[V@19:$x|C@24(D@24)];L@27[];nil)]"sv},
    {"range two vars assign", "{{$i := 0}}{{$v := 0}}{{range $i, $v = .}}{{end}}"sv, true, "range two vars assign=L@0[A@2:1(P@2:1[V@2:$i|C@8(Num@8:0 i=0 u=0 f=0)]),A@13:1(P@13:1[V@13:$v|C@19(Num@19:0 i=0 u=0 f=0)]),Range@30:1(P@30:1=[V@30:$i,V@34:$v|C@39(D@39)];L@42[];nil)]"sv},
    {"range two vars no space", "{{range $i,$v := .}}{{$i}}{{$v}}{{end}}"sv, true, "range two vars no space=L@0[Range@8:1(P@8:1[V@8:$i,V@11:$v|C@17(D@17)];L@20[A@22:1(P@22:1[|C@22(V@22:$i)]),A@28:1(P@28:1[|C@28(V@28:$v)])];nil)]"sv},
    {"range var visible in else", "{{range $i, $v := .}}{{else}}{{$i}}{{end}}"sv, true, "range var visible in else=L@0[Range@8:1(P@8:1[V@8:$i,V@12:$v|C@18(D@18)];L@21[];L@29[A@31:1(P@31:1[|C@31(V@31:$i)])])]"sv},
    {"declare in parens", "{{($x := 1)}}{{$x}}"sv, true, "declare in parens=L@0[A@2:1(P@2:1[|C@2(P@3:1[V@3:$x|C@9(Num@9:1 i=1 u=1 f=1)])]),A@15:1(P@15:1[|C@15(V@15:$x)])]"sv},
    {"declare self reference", "{{$x := $x}}"sv, true, "declare self reference=L@0[A@2:1(P@2:1[V@2:$x|C@8(V@8:$x)])]"sv},
    {"variable fields", "{{$x := .}}{{$x.A.B}} {{$.C}}"sv, true, "variable fields=L@0[A@2:1(P@2:1[V@2:$x|C@8(D@8)]),A@13:1(P@13:1[|C@13(V@15:$x.A.B)]),T@21\" \",A@24:1(P@24:1[|C@24(V@25:$.C)])]"sv},
    {"variable unicode", "{{$\303\261 := 1}}{{$\303\261}}"sv, true, "variable unicode=L@0[A@2:1(P@2:1[V@2:$\303\261|C@9(Num@9:1 i=1 u=1 f=1)]),A@14:1(P@14:1[|C@14(V@14:$\303\261)])]"sv},
    {"decl in template pipeline", "{{template \"x\" $y := 1}}{{$y}}"sv, true, "decl in template pipeline=L@0[Tm@11:1:\"x\"(P@15:1[V@15:$y|C@21(Num@21:1 i=1 u=1 f=1)]),A@26:1(P@26:1[|C@26(V@26:$y)])]"sv},
    {"decl in block pipeline", "{{block \"x\" $y := 1}}{{end}}{{$y}}"sv, true, "decl in block pipeline=L@0[Tm@8:1:\"x\"(P@12:1[V@12:$y|C@18(Num@18:1 i=1 u=1 f=1)]),A@30:1(P@30:1[|C@30(V@30:$y)])]\nx=L@21[]"sv},
    {"field chain", "{{.A.B.C}}"sv, true, "field chain=L@0[A@2:1(P@2:1[|C@2(F@4:.A.B.C)])]"sv},
    {"chain on parens", "{{(.X).Y.Z}}"sv, true, "chain on parens=L@0[A@2:1(P@2:1[|C@2(Ch@6(P@3:1[|C@3(F@3:.X)]).Y.Z)])]"sv},
    {"chain on function", "{{printf.A}}"sv, true, "chain on function=L@0[A@2:1(P@2:1[|C@2(Ch@8(I@2:printf).A)])]"sv},
    {"chain on parenthesized function", "{{(printf \"a\").B.C}}"sv, true, "chain on parenthesized function=L@0[A@2:1(P@2:1[|C@2(Ch@14(P@3:1[|C@3(I@3:printf S@10:\"a\"=\"a\")]).B.C)])]"sv},
    {"chain on pipe arg", "{{printf \"%v\" (.A | printf).B}}"sv, true, "chain on pipe arg=L@0[A@2:1(P@2:1[|C@2(I@2:printf S@9:\"%v\"=\"%v\" Ch@27(P@15:1[|C@15(F@15:.A),C@20(I@20:printf)]).B)])]"sv},
    {"chain on variable after parens", "{{$x := 1}}{{($x).Y}}"sv, true, "chain on variable after parens=L@0[A@2:1(P@2:1[V@2:$x|C@8(Num@8:1 i=1 u=1 f=1)]),A@13:1(P@13:1[|C@13(Ch@17(P@14:1[|C@14(V@14:$x)]).Y)])]"sv},
    {"nil command", "{{nil}}"sv, true, "nil command=L@0[A@2:1(P@2:1[|C@2(N@2)])]"sv},
    {"nil argument", "{{printf \"%v\" nil}}"sv, true, "nil argument=L@0[A@2:1(P@2:1[|C@2(I@2:printf S@9:\"%v\"=\"%v\" N@14)])]"sv},
    {"dot then variable", "{{. $}}"sv, true, "dot then variable=L@0[A@2:1(P@2:1[|C@2(D@2 V@4:$)])]"sv},
    {"unicode field", "{{.\303\221ame.\303\237}}"sv, true, "unicode field=L@0[A@2:1(P@2:1[|C@2(F@8:.\303\221ame.\303\237)])]"sv},
    {"unicode function", "{{\306\222}}"sv, true, "unicode function=L@0[A@2:1(P@2:1[|C@2(I@2:\306\222)])]"sv},
    {"identifier with digits", "{{.X1_2}}"sv, true, "identifier with digits=L@0[A@2:1(P@2:1[|C@2(F@2:.X1_2)])]"sv},
    {"pipeline to function", "{{.X | printf \"%d\" | printf \"%s\"}}"sv, true, "pipeline to function=L@0[A@2:1(P@2:1[|C@2(F@2:.X),C@7(I@7:printf S@14:\"%d\"=\"%d\"),C@21(I@21:printf S@28:\"%s\"=\"%s\")])]"sv},
    {"pipeline to variable", "{{$x := 1}}{{1 | $x}}"sv, true, "pipeline to variable=L@0[A@2:1(P@2:1[V@2:$x|C@8(Num@8:1 i=1 u=1 f=1)]),A@13:1(P@13:1[|C@13(Num@13:1 i=1 u=1 f=1),C@17(V@17:$x)])]"sv},
    {"pipeline to field", "{{1 | .X}}"sv, true, "pipeline to field=L@0[A@2:1(P@2:1[|C@2(Num@2:1 i=1 u=1 f=1),C@6(F@6:.X)])]"sv},
    {"pipeline to chain", "{{1 | (.X).Y}}"sv, true, "pipeline to chain=L@0[A@2:1(P@2:1[|C@2(Num@2:1 i=1 u=1 f=1),C@6(Ch@10(P@7:1[|C@7(F@7:.X)]).Y)])]"sv},
    {"pipeline to parens", "{{1 | (printf)}}"sv, true, "pipeline to parens=L@0[A@2:1(P@2:1[|C@2(Num@2:1 i=1 u=1 f=1),C@6(P@7:1[|C@7(I@7:printf)])])]"sv},
    {"paren with spaces", "{{( .X )}}"sv, true, "paren with spaces=L@0[A@2:1(P@2:1[|C@2(P@4:1[|C@4(F@4:.X)])])]"sv},
    {"nested parens", "{{((1))}}"sv, true, "nested parens=L@0[A@2:1(P@2:1[|C@2(P@3:1[|C@3(P@4:1[|C@4(Num@4:1 i=1 u=1 f=1)])])])]"sv},
    {"keyword as field", "{{.if.range}}"sv, true, "keyword as field=L@0[A@2:1(P@2:1[|C@2(F@5:.if.range)])]"sv},
    {"template with pipeline", "{{template \"x\" . | printf}}"sv, true, "template with pipeline=L@0[Tm@11:1:\"x\"(P@15:1[|C@15(D@15),C@19(I@19:printf)])]"sv},
    {"template name escape", "{{template \"a\\tb\"}}"sv, true, "template name escape=L@0[Tm@11:1:\"a\\tb\"(nil)]"sv},
    {"define raw name", "{{define `a`}}A{{end}}"sv, true, "a=L@14[T@14\"A\"]\ndefine raw name=L@0[]"sv},
    {"define with trim", "{{- define \"a\" -}}\n A \n{{- end -}}\n"sv, true, "a=L@20[T@20\"A\"]\ndefine with trim=L@0[]"sv},
    {"define empty then full", "{{define \"a\"}} {{end}}{{define \"a\"}}full{{end}}"sv, true, "a=L@36[T@36\"full\"]\ndefine empty then full=L@0[]"sv},
    {"define full then empty", "{{define \"a\"}}full{{end}}{{define \"a\"}} {{end}}"sv, true, "a=L@14[T@14\"full\"]\ndefine full then empty=L@0[]"sv},
    {"define comment only then full", "{{define \"a\"}}{{/* c */}}{{end}}{{define \"a\"}}x{{end}}"sv, true, "a=L@46[T@46\"x\"]\ndefine comment only then full=L@0[]"sv},
    {"define same as top", "{{define \"define same as top\"}}inner{{end}}"sv, true, "define same as top=L@31[T@31\"inner\"]"sv},
    {"define nbsp body", "{{define \"a\"}}\302\240\342\200\203{{end}}{{define \"a\"}}x{{end}}"sv, true, "a=L@40[T@40\"x\"]\ndefine nbsp body=L@0[]"sv},
    {"block nested", "{{block \"a\" .}}{{block \"b\" .}}in{{end}}{{end}}"sv, true, "a=L@15[Tm@23:1:\"b\"(P@27:1[|C@27(D@27)])]\nb=L@30[T@30\"in\"]\nblock nested=L@0[Tm@8:1:\"a\"(P@12:1[|C@12(D@12)])]"sv},
    {"else if else", "{{if 1}}a{{else if 2}}b{{else}}c{{end}}"sv, true, "else if else=L@0[If@5:1(P@5:1[|C@5(Num@5:1 i=1 u=1 f=1)];L@8[T@8\"a\"];L@16[If@19:1(P@19:1[|C@19(Num@19:2 i=2 u=2 f=2)];L@22[T@22\"b\"];L@31[T@31\"c\"])])]"sv},
    {"strings", "{{\"a\\tb\\u00e9\\U0001F600\\x41\\101\\\\\\\"\"}}"sv, true, "strings=L@0[A@2:1(P@2:1[|C@2(S@2:\"a\\tb\\u00e9\\U0001F600\\x41\\101\\\\\\\"\"=\"a\\tb\303\251\360\237\230\200AA\\\\\\\"\")])]"sv},
    {"string invalid utf8", "{{\"\377\"}}"sv, true, "string invalid utf8=L@0[A@2:1(P@2:1[|C@2(S@2:\"\377\"=\"\357\277\275\")])]"sv},
    {"string byte escapes", "{{\"\\xff\\377\"}}"sv, true, "string byte escapes=L@0[A@2:1(P@2:1[|C@2(S@2:\"\\xff\\377\"=\"\\xff\\xff\")])]"sv},
    {"raw string", "{{`a\\nb`}}"sv, true, "raw string=L@0[A@2:1(P@2:1[|C@2(S@2:`a\\nb`=\"a\\\\nb\")])]"sv},
    {"raw string crlf", "{{`a\r\nb`}}"sv, true, "raw string crlf=L@0[A@2:1(P@2:1[|C@2(S@2:`a\r\nb`=\"a\\nb\")])]"sv},
    {"raw string multiline", "{{`a\nb`}}\n{{.X}}"sv, true, "raw string multiline=L@0[A@2:1(P@2:1[|C@2(S@2:`a\nb`=\"a\\nb\")]),T@9\"\\n\",A@12:3(P@12:3[|C@12(F@12:.X)])]"sv},
    {"chars", "{{'a' '\\n' '\\'' '\\\\' '\\u00FF' '\\xFF' '\346\234\254' '\\377' '\\U0001F600'}}"sv, true, "chars=L@0[A@2:1(P@2:1[|C@2(Num@2:'a' i=97 u=97 f=97 Num@6:'\\n' i=10 u=10 f=10 Num@11:'\\'' i=39 u=39 f=39 Num@16:'\\\\' i=92 u=92 f=92 Num@21:'\\u00FF' i=255 u=255 f=255 Num@30:'\\xFF' i=255 u=255 f=255 Num@37:'\346\234\254' i=26412 u=26412 f=26412 Num@43:'\\377' i=255 u=255 f=255 Num@50:'\\U0001F600' i=128512 u=128512 f=128512)])]"sv},
    {"char invalid utf8", "{{'\377'}}"sv, true, "char invalid utf8=L@0[A@2:1(P@2:1[|C@2(Num@2:'\377' i=65533 u=65533 f=65533)])]"sv},
    {"bools and nil", "{{printf \"%v\" true false nil}}"sv, true, "bools and nil=L@0[A@2:1(P@2:1[|C@2(I@2:printf S@9:\"%v\"=\"%v\" B@14:true B@19:false N@25)])]"sv},
    {"numbers", "{{printf \"%v\" 0 -0 73 7_3 0b1001 0B1 073 0o73 0O7 0x73 0X7F -73 +73 1e9 -1e9 -1.2 1e19 1e1_9 0x_1p4 0x_1p-4 4i -1.2+4.2i 073i 0i -1.2+0i -12+0i 13+0i 0123 -0x0 0xdeadbeef 0xef}}"sv, true, "numbers=L@0[A@2:1(P@2:1[|C@2(I@2:printf S@9:\"%v\"=\"%v\" Num@14:0 i=0 u=0 f=0 Num@16:-0 i=0 u=0 f=0 Num@19:73 i=73 u=73 f=73 Num@22:7_3 i=73 u=73 f=73 Num@26:0b1001 i=9 u=9 f=9 Num@33:0B1 i=1 u=1 f=1 Num@37:073 i=59 u=59 f=59 Num@41:0o73 i=59 u=59 f=59 Num@46:0O7 i=7 u=7 f=7 Num@50:0x73 i=115 u=115 f=115 Num@55:0X7F i=127 u=127 f=127 Num@60:-73 i=-73 f=-73 Num@64:+73 i=73 f=73 Num@68:1e9 i=1000000000 u=1000000000 f=1e+09 Num@72:-1e9 i=-1000000000 f=-1e+09 Num@77:-1.2 f=-1.2 Num@82:1e19 u=10000000000000000000 f=1e+19 Num@87:1e1_9 u=10000000000000000000 f=1e+19 Num@93:0x_1p4 i=16 u=16 f=16 Num@100:0x_1p-4 f=0.0625 Num@108:4i c=0,4 Num@111:-1.2+4.2i c=-1.2,4.2 Num@121:073i c=0,73 Num@126:0i i=0 u=0 f=0 c=0,0 Num@129:-1.2+0i f=-1.2 c=-1.2,0 Num@137:-12+0i i=-12 f=-12 c=-12,0 Num@144:13+0i i=13 u=13 f=13 c=13,0 Num@150:0123 i=83 u=83 f=83 Num@155:-0x0 i=0 u=0 f=0 Num@160:0xdeadbeef i=3735928559 u=3735928559 f=3.735928559e+09 Num@171:0xef i=239 u=239 f=239)])]"sv},
    {"number forms", "{{printf \"%v\" .5 5. 1.e3 -.5 0x1p-1074 0x1p-1075 1e-400 -1e-400 -0.0 1e308 0x1.fffffffffffffp1023 18446744073709551615 18446744073709551616.0 9223372036854775807 -9223372036854775808 9223372036854775808 1.5e300i 0x1.8p1 1_000.000_1 0.1e+1_0}}"sv, true, "number forms=L@0[A@2:1(P@2:1[|C@2(I@2:printf S@9:\"%v\"=\"%v\" Num@14:.5 f=0.5 Num@17:5. i=5 u=5 f=5 Num@20:1.e3 i=1000 u=1000 f=1000 Num@25:-.5 f=-0.5 Num@29:0x1p-1074 f=5e-324 Num@39:0x1p-1075 i=0 u=0 f=0 Num@49:1e-400 i=0 u=0 f=0 Num@56:-1e-400 i=0 u=0 f=-0 Num@64:-0.0 i=0 u=0 f=-0 Num@69:1e308 f=1e+308 Num@75:0x1.fffffffffffffp1023 f=1.7976931348623157e+308 Num@98:18446744073709551615 u=18446744073709551615 f=1.8446744073709552e+19 Num@119:18446744073709551616.0 f=1.8446744073709552e+19 Num@142:9223372036854775807 i=9223372036854775807 u=9223372036854775807 f=9.223372036854776e+18 Num@162:-9223372036854775808 i=-9223372036854775808 f=-9.223372036854776e+18 Num@183:9223372036854775808 u=9223372036854775808 f=9.223372036854776e+18 Num@203:1.5e300i c=0,1.5e+300 Num@212:0x1.8p1 i=3 u=3 f=3 Num@220:1_000.000_1 f=1000.0001 Num@232:0.1e+1_0 i=1000000000 u=1000000000 f=1e+09)])]"sv},
    {"number bad octal float", "{{08.5}}"sv, true, "number bad octal float=L@0[A@2:1(P@2:1[|C@2(Num@2:08.5 f=8.5)])]"sv},
    {"number underscore after prefix", "{{0x_10}}"sv, true, "number underscore after prefix=L@0[A@2:1(P@2:1[|C@2(Num@2:0x_10 i=16 u=16 f=16)])]"sv},
    {"number underscore octal", "{{0_17}}"sv, true, "number underscore octal=L@0[A@2:1(P@2:1[|C@2(Num@2:0_17 i=15 u=15 f=15)])]"sv},
    {"number lone dot", "{{printf .}}"sv, true, "number lone dot=L@0[A@2:1(P@2:1[|C@2(I@2:printf D@9)])]"sv},
    {"complex hex float real", "{{0x1p1+1i}}"sv, true, "complex hex float real=L@0[A@2:1(P@2:1[|C@2(Num@2:0x1p1+1i c=2,1)])]"sv},
    {"complex leading zero", "{{017+1i}}"sv, true, "complex leading zero=L@0[A@2:1(P@2:1[|C@2(Num@2:017+1i c=17,1)])]"sv},
    {"complex exponent", "{{1e+5+2e-1i}}"sv, true, "complex exponent=L@0[A@2:1(P@2:1[|C@2(Num@2:1e+5+2e-1i c=100000,0.2)])]"sv},
    {"complex underscores", "{{1_0+2_0i}}"sv, true, "complex underscores=L@0[A@2:1(P@2:1[|C@2(Num@2:1_0+2_0i c=10,20)])]"sv},
    {"complex minus", "{{-1-1i}}"sv, true, "complex minus=L@0[A@2:1(P@2:1[|C@2(Num@2:-1-1i c=-1,-1)])]"sv},
    {"complex zero imag negative", "{{-0-0i}}"sv, true, "complex zero imag negative=L@0[A@2:1(P@2:1[|C@2(Num@2:-0-0i i=0 u=0 f=-0 c=-0,-0)])]"sv},
    {"complex big real", "{{1e19+0i}}"sv, true, "complex big real=L@0[A@2:1(P@2:1[|C@2(Num@2:1e19+0i u=10000000000000000000 f=1e+19 c=1e+19,0)])]"sv},
    {"text with actions", "a{{.X}}b\n{{.Y}}c"sv, true, "text with actions=L@0[T@0\"a\",A@3:1(P@3:1[|C@3(F@3:.X)]),T@7\"b\\n\",A@11:2(P@11:2[|C@11(F@11:.Y)]),T@15\"c\"]"sv},
    {"trim both sides multiline", "a \n\n{{- .X -}} \n\n b"sv, true, "trim both sides multiline=L@0[T@0\"a\",A@8:3(P@8:3[|C@8(F@8:.X)]),T@18\"b\"]"sv},
    {"trim newline marker", "a\n{{-\n.X\n-}}\nb"sv, true, "trim newline marker=L@0[T@0\"a\",A@6:3(P@6:3[|C@6(F@6:.X)]),T@13\"b\"]"sv},
    {"trim with tab", "a\t{{-\t.X\t-}}\tb"sv, true, "trim with tab=L@0[T@0\"a\",A@6:1(P@6:1[|C@6(F@6:.X)]),T@13\"b\"]"sv},
    {"trim right only spaces", "{{.X -}}   "sv, true, "trim right only spaces=L@0[A@2:1(P@2:1[|C@2(F@2:.X)])]"sv},
    {"trim left everything", "   {{- .X}}"sv, true, "trim left everything=L@3[A@7:1(P@7:1[|C@7(F@7:.X)])]"sv},
    {"trim before comment with newlines", "a\n\n{{- /* x\ny */ -}}\n\nb{{.X}}"sv, true, "trim before comment with newlines=L@0[T@0\"a\",T@22\"b\",A@25:6(P@25:6[|C@25(F@25:.X)])]"sv},
    {"unmatched right delimiter", "hello-{.}}-world"sv, true, "unmatched right delimiter=L@0[T@0\"hello-{.}}-world\"]"sv},
    {"crlf text", "a\r\n{{.X}}\r\nb"sv, true, "crlf text=L@0[T@0\"a\\r\\n\",A@5:2(P@5:2[|C@5(F@5:.X)]),T@9\"\\r\\nb\"]"sv},
    {"minus field", "{{ -.5}}"sv, true, "minus field=L@0[A@3:1(P@3:1[|C@3(Num@3:-.5 f=-0.5)])]"sv},
};

// Go's ParseComments mode.
const ParseTest kCommentTests[] = {
    {"comment", "{{/*\n\n\n*/}}"sv, true, "comment=L@2[Cm@2\"/*\\n\\n\\n*/\"]"sv},
    {"comment trim left", "x \r\n\t{{- /* hi */}}"sv, true, "comment trim left=L@0[T@0\"x\",Cm@9\"/* hi */\"]"sv},
    {"comment trim right", "{{/* hi */ -}}\n\n\ty"sv, true, "comment trim right=L@2[Cm@2\"/* hi */\",T@17\"y\"]"sv},
    {"comment trim left and right", "x \r\n\t{{- /* */ -}}\n\n\ty"sv, true, "comment trim left and right=L@0[T@0\"x\",Cm@9\"/* */\",T@21\"y\"]"sv},
    {"comment in define", "{{define \"a\"}}{{/* c */}}{{end}}"sv, true, "a=L@16[Cm@16\"/* c */\"]\ncomment in define=L@0[]"sv},
    {"comment line numbers", "{{/*\n\n*/}}\n{{foo}}"sv, false, "template: comment line numbers:2:2: function \"foo\" not defined"sv},
    {"comment line numbers without comments", "{{/*\n\n*/}}\n{{foo}}"sv, false, "template: comment line numbers without comments:4:2: function \"foo\" not defined"sv},
};

struct DelimTest {
  const char* name;
  std::string_view input;
  std::string_view left;
  std::string_view right;
  bool ok;
  std::string_view result;
};

const DelimTest kDelimTests[] = {
    {"custom delims", "$$.X@@ {{.Y}} @@x$$- .Z -@@ y"sv, "$$"sv, "@@"sv, true, "custom delims=L@0[A@2:1(P@2:1[|C@2(F@2:.X)]),T@6\" {{.Y}} @@x\",A@21:1(P@21:1[|C@21(F@21:.Z)]),T@28\"y\"]"sv},
    {"custom delims dollar", "$$.X$$"sv, "$$"sv, "@@"sv, false, "template: custom delims dollar:1:2: bad character U+0024 '$'"sv},
    {"custom delims comment", "a<</* x */>>b<<- /* y */ ->> c"sv, "<<"sv, ">>"sv, true, "custom delims comment=L@0[T@0\"a\",T@12\"b\",T@29\"c\"]"sv},
    {"alphanumeric delims", "{{hub .host hub}}"sv, "{{hub"sv, "hub}}"sv, true, "alphanumeric delims=L@0[A@6:1(P@6:1[|C@6(F@6:.host)])]"sv},
    {"empty delims default", "{{.X}}"sv, ""sv, ""sv, true, "empty delims default=L@0[A@2:1(P@2:1[|C@2(F@2:.X)])]"sv},
    {"custom delims error", "[[if]]"sv, "[["sv, "]]"sv, false, "template: custom delims error:1:4: missing value for if"sv},
    {"custom delims terminator", "<%.X%>"sv, "<%"sv, "%>"sv, true, "custom delims terminator=L@0[A@2:1(P@2:1[|C@2(F@2:.X)])]"sv},
};
// clang-format on

void CheckParse(const char* name, std::string_view input, bool ok, std::string_view expected,
                const ParseOptions& options, bool dump) {
  SCOPED_TRACE(name);
  Result<TreeSet> trees = Parse(name, std::string(input), options);
  if (!ok) {
    ASSERT_FALSE(trees.has_value()) << "expected an error, got\n" << Render(*trees, dump);
    EXPECT_EQ(trees.error().code(), Code::kInvalidArgument);
    EXPECT_EQ(trees.error().message(), expected);
    return;
  }
  ASSERT_TRUE(trees.has_value()) << trees.error().message();
  EXPECT_EQ(Render(*trees, dump), expected);
}

TEST(ParseTest, Table) {
  for (const ParseTest& t : kParseTests)
    CheckParse(t.name, t.input, t.ok, t.result, TestOptions(), false);
}

TEST(ParseTest, Structure) {
  for (const ParseTest& t : kDumpTests)
    CheckParse(t.name, t.input, t.ok, t.result, TestOptions(), true);
}

TEST(ParseTest, Comments) {
  ParseOptions o = TestOptions();
  o.parse_comments = true;
  for (const ParseTest& t : kCommentTests) {
    // The last case shows the same input without comments, for the line numbers.
    o.parse_comments = std::string_view(t.name) != "comment line numbers without comments";
    CheckParse(t.name, t.input, t.ok, t.result, o, true);
  }
}

TEST(ParseTest, Delimiters) {
  for (const DelimTest& t : kDelimTests) {
    ParseOptions o = TestOptions();
    o.left_delim = t.left;
    o.right_delim = t.right;
    CheckParse(t.name, t.input, t.ok, t.result, o, true);
  }
}

TEST(ParseTest, SkipFuncCheck) {
  ParseOptions o;  // no functions at all
  o.skip_func_check = true;
  CheckParse(
      "skip func check", "{{fn 1 2}}", true,
      "skip func check=L@0[A@2:1(P@2:1[|C@2(I@2:fn Num@5:1 i=1 u=1 f=1 Num@7:2 i=2 u=2 f=2)])]", o,
      true);
  CheckParse("no functions", "{{printf 1}}", false,
             "template: no functions:1:2: function \"printf\" not defined", ParseOptions{}, false);
}

// Go's TestNumberParse, through the parser.
struct NumberTest {
  std::string_view text;
  bool is_int, is_uint, is_float, is_complex;
  int64_t int64;
  uint64_t uint64;
  double float64;
  std::complex<double> complex128;
};

// clang-format off
const NumberTest kNumberTests[] = {
    {"0", true, true, true, false, 0, 0, 0, 0},
    {"-0", true, true, true, false, 0, 0, 0, 0},
    {"73", true, true, true, false, 73, 73, 73, 0},
    {"7_3", true, true, true, false, 73, 73, 73, 0},
    {"0b10_010_01", true, true, true, false, 73, 73, 73, 0},
    {"0B10_010_01", true, true, true, false, 73, 73, 73, 0},
    {"073", true, true, true, false, 073, 073, 073, 0},
    {"0o73", true, true, true, false, 073, 073, 073, 0},
    {"0O73", true, true, true, false, 073, 073, 073, 0},
    {"0x73", true, true, true, false, 0x73, 0x73, 0x73, 0},
    {"0X73", true, true, true, false, 0x73, 0x73, 0x73, 0},
    {"0x7_3", true, true, true, false, 0x73, 0x73, 0x73, 0},
    {"-73", true, false, true, false, -73, 0, -73, 0},
    {"+73", true, false, true, false, 73, 0, 73, 0},
    {"100", true, true, true, false, 100, 100, 100, 0},
    {"1e9", true, true, true, false, 1000000000, 1000000000, 1e9, 0},
    {"-1e9", true, false, true, false, -1000000000, 0, -1e9, 0},
    {"-1.2", false, false, true, false, 0, 0, -1.2, 0},
    {"1e19", false, true, true, false, 0, 10000000000000000000u, 1e19, 0},
    {"1e1_9", false, true, true, false, 0, 10000000000000000000u, 1e19, 0},
    {"1E19", false, true, true, false, 0, 10000000000000000000u, 1e19, 0},
    {"-1e19", false, false, true, false, 0, 0, -1e19, 0},
    {"0x_1p4", true, true, true, false, 16, 16, 16, 0},
    {"0X_1P4", true, true, true, false, 16, 16, 16, 0},
    {"0x_1p-4", false, false, true, false, 0, 0, 1 / 16., 0},
    {"4i", false, false, false, true, 0, 0, 0, {0, 4}},
    {"-1.2+4.2i", false, false, false, true, 0, 0, 0, {-1.2, 4.2}},
    {"073i", false, false, false, true, 0, 0, 0, {0, 73}},
    {"0i", true, true, true, true, 0, 0, 0, 0},
    {"-1.2+0i", false, false, true, true, 0, 0, -1.2, -1.2},
    {"-12+0i", true, false, true, true, -12, 0, -12, -12},
    {"13+0i", true, true, true, true, 13, 13, 13, 13},
    {"0123", true, true, true, false, 0123, 0123, 0123, 0},
    {"-0x0", true, true, true, false, 0, 0, 0, 0},
    {"0xdeadbeef", true, true, true, false, 0xdeadbeef, 0xdeadbeef, 0xdeadbeef, 0},
    {"'a'", true, true, true, false, 'a', 'a', 'a', 0},
    {"'\\n'", true, true, true, false, '\n', '\n', '\n', 0},
    {"'\\\\'", true, true, true, false, '\\', '\\', '\\', 0},
    {"'\\''", true, true, true, false, '\'', '\'', '\'', 0},
    {"'\\xFF'", true, true, true, false, 0xFF, 0xFF, 0xFF, 0},
    {"'\xe3\x83\x91'", true, true, true, false, 0x30d1, 0x30d1, 0x30d1, 0},
    {"'\\u30d1'", true, true, true, false, 0x30d1, 0x30d1, 0x30d1, 0},
    {"'\\U000030d1'", true, true, true, false, 0x30d1, 0x30d1, 0x30d1, 0},
    {"+-2", false, false, false, false, 0, 0, 0, 0},
    {"0x123.", false, false, false, false, 0, 0, 0, 0},
    {"1e.", false, false, false, false, 0, 0, 0, 0},
    {"0xi.", false, false, false, false, 0, 0, 0, 0},
    {"1+2.", false, false, false, false, 0, 0, 0, 0},
    {"'x", false, false, false, false, 0, 0, 0, 0},
    {"'xx'", false, false, false, false, 0, 0, 0, 0},
    {"'433937734937734969526500969526500'", false, false, false, false, 0, 0, 0, 0},
    {"0xef", true, true, true, false, 0xef, 0xef, 0xef, 0},
};
// clang-format on

TEST(ParseTest, Numbers) {
  for (const NumberTest& t : kNumberTests) {
    SCOPED_TRACE(t.text);
    const bool ok = t.is_int || t.is_uint || t.is_float || t.is_complex;
    Result<TreeSet> trees = Parse("n", "{{" + std::string(t.text) + "}}", TestOptions());
    ASSERT_EQ(trees.has_value(), ok) << (ok ? trees.error().message() : "");
    if (!ok) continue;
    const Node* arg = trees->at("n")->root()->nodes[0].get();
    const auto* action = static_cast<const ActionNode*>(arg);
    const auto* n = static_cast<const NumberNode*>(action->pipe->cmds[0]->args[0].get());
    ASSERT_EQ(n->type, NodeType::kNumber);
    EXPECT_EQ(n->is_int, t.is_int);
    EXPECT_EQ(n->is_uint, t.is_uint);
    EXPECT_EQ(n->is_float, t.is_float);
    EXPECT_EQ(n->is_complex, t.is_complex);
    if (t.is_int) {
      EXPECT_EQ(n->int64, t.int64);
    }
    if (t.is_uint) {
      EXPECT_EQ(n->uint64, t.uint64);
    }
    if (t.is_float) {
      EXPECT_EQ(n->float64, t.float64);
    }
    if (t.is_complex) {
      EXPECT_EQ(n->complex128, t.complex128);
    }
  }
}

// Go's TestIsEmpty.
TEST(ParseTest, IsEmptyTree) {
  struct Case {
    const char* name;
    const char* input;
    bool empty;
  };
  const Case kCases[] = {
      {"empty", "", true},
      {"nonempty", "hello", false},
      {"spaces only", " \t\n \t\n", true},
      {"unicode spaces only", "\xc2\xa0\xe2\x80\x83\xc2\x85", true},
      {"invalid utf8", " \xff ", false},
      {"comment only", "{{/* comment */}}", true},
      {"definition", "{{define \"x\"}}something{{end}}", true},
      {"definitions and space",
       "{{define `x`}}something{{end}}\n\n{{define `y`}}something{{end}}\n\n", true},
      {"definitions and text",
       "{{define `x`}}something{{end}}\nx\n{{define `y`}}something{{end}}\ny\n", false},
      {"definition and action", "{{define `x`}}something{{end}}{{if 3}}foo{{end}}", false},
      {"action", "{{.X}}", false},
      {"template", "{{template \"x\"}}", false},
      {"range", "{{range .}}{{end}}", false},
      {"with", "{{with .}}{{end}}", false},
  };
  EXPECT_TRUE(IsEmptyTree(nullptr));
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    Result<TreeSet> trees = Parse("root", c.input, TestOptions());
    ASSERT_TRUE(trees.has_value()) << trees.error().message();
    EXPECT_EQ(IsEmptyTree(trees->at("root")->root()), c.empty);
  }
}

// Go's TestBlock: the block's body is a tree of its own.
TEST(ParseTest, Block) {
  Result<TreeSet> trees =
      Parse("outer", "a{{block \"inner\" .}}bar{{.}}baz{{end}}b", TestOptions());
  ASSERT_TRUE(trees.has_value()) << trees.error().message();
  ASSERT_EQ(trees->size(), 2u);
  EXPECT_EQ(trees->at("outer")->root()->String(), "a{{template \"inner\" .}}b");
  EXPECT_EQ(trees->at("inner")->root()->String(), "bar{{.}}baz");
  EXPECT_EQ(trees->at("inner")->name(), "inner");
  EXPECT_EQ(trees->at("inner")->parse_name(), "outer");
}

// Go's TestLineNum.
TEST(ParseTest, LineNumbers) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "{{printf 1234}}\n";
  Result<TreeSet> trees = Parse("bench", text, TestOptions());
  ASSERT_TRUE(trees.has_value());
  const auto& nodes = trees->at("bench")->root()->nodes;
  for (size_t i = 0; i < nodes.size(); i += 2) {
    const int line = 1 + static_cast<int>(i / 2);
    ASSERT_EQ(nodes[i]->type, NodeType::kAction);
    const auto* action = static_cast<const ActionNode*>(nodes[i].get());
    EXPECT_EQ(action->line, line);
    EXPECT_EQ(action->pipe->line, line);
  }
}

// Every node knows its tree; ErrorContext locates it as Go does.
TEST(ParseTest, ErrorContext) {
  Result<TreeSet> trees = Parse(
      "ctx.tmpl",
      "line1\n  {{if .A}}\n\t{{printf \"%d\" .B.C | len}}{{end}}{{define \"d\"}}\n{{$.X}}{{end}}",
      TestOptions());
  ASSERT_TRUE(trees.has_value()) << trees.error().message();
  const Tree& top = *trees->at("ctx.tmpl");
  const auto* if_node = static_cast<const BranchNode*>(top.root()->nodes[1].get());
  EXPECT_EQ(if_node->tree, &top);
  auto [loc, ctx] = top.ErrorContext(*if_node);
  EXPECT_EQ(loc, "ctx.tmpl:2:7");
  EXPECT_EQ(ctx, "{{if .A}}\n\t{{printf \"%d\" .B.C | len}}{{end}}");
  const auto* action = static_cast<const ActionNode*>(if_node->list->nodes[1].get());
  const Node& field = *action->pipe->cmds[0]->args[2];
  std::tie(loc, ctx) = top.ErrorContext(field);
  EXPECT_EQ(loc, "ctx.tmpl:3:17");  // the position of ".C", as in Go
  EXPECT_EQ(ctx, ".B.C");
  std::tie(loc, ctx) = top.ErrorContext(*action->pipe->cmds[1]);
  EXPECT_EQ(loc, "ctx.tmpl:3:22");
  EXPECT_EQ(ctx, "len");
  const Tree& d = *trees->at("d");
  const Node& var = *d.root()->nodes[1];
  EXPECT_EQ(var.tree, &d);
  std::tie(loc, ctx) = top.ErrorContext(var);  // the node's own tree wins
  EXPECT_EQ(loc, "ctx.tmpl:4:2");
  EXPECT_EQ(ctx, "{{$.X}}");
}

// Node texts that execution errors quote.
TEST(ParseTest, NodeStrings) {
  Result<TreeSet> trees =
      Parse("s", "{{range $x, $y := .}}{{template \"a\\n\" (printf \"%v\" $x.F).G}}{{end}}",
            TestOptions());
  ASSERT_TRUE(trees.has_value()) << trees.error().message();
  const auto* range = static_cast<const BranchNode*>(trees->at("s")->root()->nodes[0].get());
  EXPECT_EQ(range->pipe->String(), "$x, $y := .");
  EXPECT_EQ(range->pipe->decl[1]->String(), "$y");
  const Node& tmpl = *range->list->nodes[0];
  EXPECT_EQ(tmpl.String(), "{{template \"a\\n\" (printf \"%v\" $x.F).G}}");
  const auto* t = static_cast<const TemplateNode*>(&tmpl);
  EXPECT_EQ(t->name, "a\n");
  const Node& chain = *t->pipe->cmds[0]->args[0];
  EXPECT_EQ(chain.type, NodeType::kChain);
  EXPECT_EQ(chain.String(), "(printf \"%v\" $x.F).G");
  EXPECT_EQ(static_cast<const ChainNode&>(chain).node->String(), "printf \"%v\" $x.F");
}

// Templates are parsed on every render pass: a 2,000-line configuration
// template takes a fraction of a millisecond.  The bound here is loose (it
// must hold under sanitizers on a loaded machine); it catches blowups.
TEST(ParseTest, Speed) {
  std::string text;
  for (int i = 0; text.size() < 50000; ++i) {
    std::string n = std::to_string(i);
    text += "backend app" + n + "\n    mode http\n    balance roundrobin\n";
    text += "    option httpchk GET /health\n    {{range gets \"/app" + n + "/servers/*\"}}\n";
    text += "    server {{base .Key}} {{.Value}} check inter 5000 fall 1 rise 2\n    {{end}}\n\n";
  }
  auto start = std::chrono::steady_clock::now();
  constexpr int kRounds = 20;
  for (int i = 0; i < kRounds; ++i) {
    Result<TreeSet> trees = Parse("speed", text, TestOptions());
    ASSERT_TRUE(trees.has_value()) << trees.error().message();
  }
  auto per_parse = (std::chrono::steady_clock::now() - start) / kRounds;
  EXPECT_LT(per_parse, std::chrono::milliseconds(50));
}

// ---- the conformance corpus: every template parses, or fails, as in confd ----

struct CorpusTemplate {
  const char* path;   // relative to the corpus root
  const char* error;  // nullptr when Go parses it
};

// clang-format off
const CorpusTemplate kCorpus[] = {
    {"builtin--index/confdir/templates/main.tmpl", nullptr},
    {"builtin--len/confdir/templates/main.tmpl", nullptr},
    {"builtin--print/confdir/templates/main.tmpl", nullptr},
    {"builtin--printf-bad/confdir/templates/main.tmpl", nullptr},
    {"builtin--printf-basic/confdir/templates/main.tmpl", nullptr},
    {"builtin--printf-composite/confdir/templates/main.tmpl", nullptr},
    {"builtin--printf-more/confdir/templates/main.tmpl", nullptr},
    {"builtin--println/confdir/templates/main.tmpl", nullptr},
    {"builtin--slice/confdir/templates/main.tmpl", nullptr},
    {"cond--exists/confdir/templates/main.tmpl", nullptr},
    {"cond--if-else-chain/confdir/templates/main.tmpl", nullptr},
    {"cond--nested-trim/confdir/templates/main.tmpl", nullptr},
    {"cond--truthiness/confdir/templates/main.tmpl", nullptr},
    {"cond--with-else/confdir/templates/main.tmpl", nullptr},
    {"datafn--json-docs-example/confdir/templates/main.tmpl", nullptr},
    {"datafn--json-numbers/confdir/templates/main.tmpl", nullptr},
    {"datafn--json-object/confdir/templates/main.tmpl", nullptr},
    {"datafn--jsonArray/confdir/templates/main.tmpl", nullptr},
    {"datafn--map/confdir/templates/main.tmpl", nullptr},
    {"envfn--datetime/confdir/templates/main.tmpl", nullptr},
    {"envfn--fileExists/confdir/templates/main.tmpl", nullptr},
    {"envfn--getenv-in-logic/confdir/templates/main.tmpl", nullptr},
    {"envfn--getenv/confdir/templates/main.tmpl", nullptr},
    {"envfn--lookupIP-literals/confdir/templates/main.tmpl", nullptr},
    {"escape--html/confdir/templates/main.tmpl", nullptr},
    {"escape--js/confdir/templates/main.tmpl", nullptr},
    {"escape--urlquery/confdir/templates/main.tmpl", nullptr},
    {"execerr--arith/confdir/templates/argc.tmpl", nullptr},
    {"execerr--arith/confdir/templates/argc2.tmpl", nullptr},
    {"execerr--arith/confdir/templates/div0.tmpl", nullptr},
    {"execerr--arith/confdir/templates/floatarg.tmpl", nullptr},
    {"execerr--arith/confdir/templates/mod0.tmpl", nullptr},
    {"execerr--arith/confdir/templates/ok.tmpl", nullptr},
    {"execerr--arith/confdir/templates/strarg.tmpl", nullptr},
    {"execerr--comparisons/confdir/templates/bool.tmpl", nullptr},
    {"execerr--comparisons/confdir/templates/intfloat.tmpl", nullptr},
    {"execerr--comparisons/confdir/templates/laterarg.tmpl", nullptr},
    {"execerr--comparisons/confdir/templates/maps.tmpl", nullptr},
    {"execerr--comparisons/confdir/templates/noargs.tmpl", nullptr},
    {"execerr--comparisons/confdir/templates/ok.tmpl", nullptr},
    {"execerr--comparisons/confdir/templates/strint.tmpl", nullptr},
    {"execerr--docs-trailing-slash/confdir/templates/noslash.tmpl", nullptr},
    {"execerr--docs-trailing-slash/confdir/templates/slash.tmpl", nullptr},
    {"execerr--function-errors/confdir/templates/arrobj.tmpl", nullptr},
    {"execerr--function-errors/confdir/templates/atoi.tmpl", nullptr},
    {"execerr--function-errors/confdir/templates/atoisp.tmpl", nullptr},
    {"execerr--function-errors/confdir/templates/b64.tmpl", nullptr},
    {"execerr--function-errors/confdir/templates/json.tmpl", nullptr},
    {"execerr--function-errors/confdir/templates/jsonarr.tmpl", nullptr},
    {"execerr--function-errors/confdir/templates/mapkey.tmpl", nullptr},
    {"execerr--function-errors/confdir/templates/mapodd.tmpl", nullptr},
    {"execerr--function-errors/confdir/templates/ok.tmpl", nullptr},
    {"execerr--function-errors/confdir/templates/parsebool.tmpl", nullptr},
    {"execerr--get-missing/confdir/templates/main.tmpl", nullptr},
    {"execerr--getv-missing/confdir/templates/main.tmpl", nullptr},
    {"execerr--index-slice/confdir/templates/idx.tmpl", nullptr},
    {"execerr--index-slice/confdir/templates/neg.tmpl", nullptr},
    {"execerr--index-slice/confdir/templates/nokey.tmpl", nullptr},
    {"execerr--index-slice/confdir/templates/ok.tmpl", nullptr},
    {"execerr--index-slice/confdir/templates/slice.tmpl", nullptr},
    {"execerr--index-slice/confdir/templates/slice3.tmpl", nullptr},
    {"execerr--templates/confdir/templates/ok.tmpl", nullptr},
    {"execerr--templates/confdir/templates/recursion.tmpl", nullptr},
    {"execerr--templates/confdir/templates/undefined.tmpl", nullptr},
    {"execerr--type-errors/confdir/templates/field.tmpl", nullptr},
    {"execerr--type-errors/confdir/templates/fieldstr.tmpl", nullptr},
    {"execerr--type-errors/confdir/templates/getvint.tmpl", nullptr},
    {"execerr--type-errors/confdir/templates/joinkv.tmpl", nullptr},
    {"execerr--type-errors/confdir/templates/lenint.tmpl", nullptr},
    {"execerr--type-errors/confdir/templates/nilcmd.tmpl", nullptr},
    {"execerr--type-errors/confdir/templates/notfunc.tmpl", nullptr},
    {"execerr--type-errors/confdir/templates/ok.tmpl", nullptr},
    {"execerr--type-errors/confdir/templates/rangeint.tmpl", nullptr},
    {"execerr--type-errors/confdir/templates/rangestr.tmpl", nullptr},
    {"execerr--type-errors/confdir/templates/swap.tmpl", nullptr},
    {"execerr--type-errors/confdir/templates/toupper.tmpl", nullptr},
    {"field--json-array-elements/confdir/templates/main.tmpl", nullptr},
    {"field--kvpair/confdir/templates/main.tmpl", nullptr},
    {"field--map-access/confdir/templates/main.tmpl", nullptr},
    {"field--methods/confdir/templates/main.tmpl", nullptr},
    {"field--missing-key/confdir/templates/main.tmpl", nullptr},
    {"field--nil-dot/confdir/templates/main.tmpl", nullptr},
    {"literal--chars/confdir/templates/main.tmpl", nullptr},
    {"literal--numbers-float/confdir/templates/main.tmpl", nullptr},
    {"literal--numbers-int/confdir/templates/main.tmpl", nullptr},
    {"literal--raw/confdir/templates/main.tmpl", nullptr},
    {"literal--strings/confdir/templates/main.tmpl", nullptr},
    {"logic--and-or-values/confdir/templates/main.tmpl", nullptr},
    {"logic--compare-numbers-from-data/confdir/templates/main.tmpl", nullptr},
    {"logic--compare-structs/confdir/templates/main.tmpl", nullptr},
    {"logic--eq-multi/confdir/templates/main.tmpl", nullptr},
    {"logic--not/confdir/templates/main.tmpl", nullptr},
    {"logic--ordering/confdir/templates/main.tmpl", nullptr},
    {"math--arith/confdir/templates/main.tmpl", nullptr},
    {"math--atoi/confdir/templates/main.tmpl", nullptr},
    {"math--literal-args/confdir/templates/main.tmpl", nullptr},
    {"math--seq/confdir/templates/main.tmpl", nullptr},
    {"parseerr--bad-syntax/confdir/templates/badnum.tmpl", "template: badnum.tmpl:1:2: illegal number syntax: \"0x\""},
    {"parseerr--bad-syntax/confdir/templates/break.tmpl", "template: break.tmpl:1:7: {{break}} outside {{range}}"},
    {"parseerr--bad-syntax/confdir/templates/comment.tmpl", "template: comment.tmpl:1:3: unexpected \"/\" in command"},
    {"parseerr--bad-syntax/confdir/templates/continue.tmpl", "template: continue.tmpl:1:21: {{continue}} outside {{range}}"},
    {"parseerr--bad-syntax/confdir/templates/elsewith.tmpl", "template: elsewith.tmpl:1:17: unexpected <with> in else"},
    {"parseerr--bad-syntax/confdir/templates/emptyaction.tmpl", "template: emptyaction.tmpl:1:2: missing value for command"},
    {"parseerr--bad-syntax/confdir/templates/ok.tmpl", nullptr},
    {"parseerr--bad-syntax/confdir/templates/rangevars.tmpl", "template: rangevars.tmpl:1:14: too many declarations in range"},
    {"parseerr--bad-syntax/confdir/templates/redefine.tmpl", "template: redefine.tmpl:1:42: template: multiple definition of template \"a\""},
    {"parseerr--bad-syntax/confdir/templates/trim.tmpl", "template: trim.tmpl:1:3: illegal number syntax: \"-\""},
    {"parseerr--bad-syntax/confdir/templates/trimnospace.tmpl", "template: trimnospace.tmpl:1:4: bad number syntax: \"3-\""},
    {"parseerr--bad-syntax/confdir/templates/unclosedcomment.tmpl", "template: unclosedcomment.tmpl:1:2: unclosed comment"},
    {"parseerr--bad-syntax/confdir/templates/unterminated.tmpl", "template: unterminated.tmpl:1:2: unterminated quoted string"},
    {"parseerr--unclosed-action/confdir/templates/main.tmpl", "template: main.tmpl:2:0: unclosed action started at main.tmpl:1"},
    {"parseerr--unclosed-block/confdir/templates/noend.tmpl", "template: noend.tmpl:2:0: unexpected EOF"},
    {"parseerr--unclosed-block/confdir/templates/ok.tmpl", nullptr},
    {"parseerr--unclosed-block/confdir/templates/strayelse.tmpl", "template: strayelse.tmpl:1:7: unexpected {{else}}"},
    {"parseerr--unclosed-block/confdir/templates/strayend.tmpl", "template: strayend.tmpl:1:6: unexpected {{end}}"},
    {"parseerr--undefined-variable/confdir/templates/define.tmpl", "template: define.tmpl:1:29: undefined variable \"$x\""},
    {"parseerr--undefined-variable/confdir/templates/plain.tmpl", "template: plain.tmpl:1:7: undefined variable \"$nope\""},
    {"parseerr--undefined-variable/confdir/templates/scope.tmpl", "template: scope.tmpl:1:33: undefined variable \"$y\""},
    {"parseerr--unknown-function/confdir/templates/main.tmpl", "template: main.tmpl:1:14: function \"frobnicate\" not defined"},
    {"range--break-continue/confdir/templates/main.tmpl", nullptr},
    {"range--else/confdir/templates/main.tmpl", nullptr},
    {"range--gets-kv/confdir/templates/main.tmpl", nullptr},
    {"range--index-value/confdir/templates/main.tmpl", nullptr},
    {"range--jsonArray/confdir/templates/main.tmpl", nullptr},
    {"range--ls-lsdir/confdir/templates/main.tmpl", nullptr},
    {"range--map-json/confdir/templates/main.tmpl", nullptr},
    {"range--nested-dot/confdir/templates/main.tmpl", nullptr},
    {"range--seq/confdir/templates/main.tmpl", nullptr},
    {"range--split-join/confdir/templates/main.tmpl", nullptr},
    {"real--haproxy-classic/confdir/templates/haproxy.cfg.tmpl", nullptr},
    {"real--haproxy-large/confdir/templates/haproxy.cfg.tmpl", nullptr},
    {"real--multi-service-nginx/confdir/templates/vhosts.tmpl", nullptr},
    {"real--nginx-docs/confdir/templates/nginx.conf.tmpl", nullptr},
    {"resource--bad-mode/confdir/templates/badmode.tmpl", nullptr},
    {"resource--bad-mode/confdir/templates/ok.tmpl", nullptr},
    {"resource--bad-toml/confdir/templates/a.tmpl", nullptr},
    {"resource--bad-toml/confdir/templates/b.tmpl", nullptr},
    {"resource--bad-toml/confdir/templates/c.tmpl", nullptr},
    {"resource--check-reload-cmd/confdir/templates/checked.tmpl", nullptr},
    {"resource--check-reload-cmd/confdir/templates/rejected.tmpl", nullptr},
    {"resource--check-reload-cmd/confdir/templates/reloadfail.tmpl", nullptr},
    {"resource--dest-dir-missing/confdir/templates/nodir.tmpl", nullptr},
    {"resource--dest-dir-missing/confdir/templates/ok.tmpl", nullptr},
    {"resource--empty-src/confdir/templates/a.tmpl", nullptr},
    {"resource--exec-error-isolation/confdir/templates/1ok.tmpl", nullptr},
    {"resource--exec-error-isolation/confdir/templates/2bad.tmpl", nullptr},
    {"resource--exec-error-isolation/confdir/templates/3ok.tmpl", nullptr},
    {"resource--keys-filter/confdir/templates/ac.tmpl", nullptr},
    {"resource--keys-filter/confdir/templates/leaf.tmpl", nullptr},
    {"resource--keys-filter/confdir/templates/missing.tmpl", nullptr},
    {"resource--keys-filter/confdir/templates/none.tmpl", nullptr},
    {"resource--missing-template/confdir/templates/ok.tmpl", nullptr},
    {"resource--multiple/confdir/templates/all.tmpl", nullptr},
    {"resource--multiple/confdir/templates/app.tmpl", nullptr},
    {"resource--multiple/confdir/templates/db.tmpl", nullptr},
    {"resource--order-and-discovery/confdir/templates/a.tmpl", nullptr},
    {"resource--order-and-discovery/confdir/templates/b.tmpl", nullptr},
    {"resource--order-and-discovery/confdir/templates/ignored.tmpl", nullptr},
    {"resource--order-and-discovery/confdir/templates/nested.tmpl", nullptr},
    {"resource--order-and-discovery/confdir/templates/weird.tmpl", nullptr},
    {"resource--parse-error-isolation/confdir/templates/broken.tmpl", "template: broken.tmpl:2:0: unclosed action started at broken.tmpl:1"},
    {"resource--parse-error-isolation/confdir/templates/good.tmpl", nullptr},
    {"resource--prefix-string-match/confdir/templates/keys.tmpl", nullptr},
    {"resource--prefix-string-match/confdir/templates/prefixed.tmpl", nullptr},
    {"resource--prefix/confdir/templates/prod.tmpl", nullptr},
    {"resource--prefix/confdir/templates/stage.tmpl", nullptr},
    {"resource--prefix/confdir/templates/whole.tmpl", nullptr},
    {"resource--template-subdir/confdir/templates/nested/dir/inner.tmpl", nullptr},
    {"sortfn--reverse/confdir/templates/main.tmpl", nullptr},
    {"sortfn--sortByLength/confdir/templates/main.tmpl", nullptr},
    {"sortfn--sortKVByLength/confdir/templates/main.tmpl", nullptr},
    {"store--deep-nesting/confdir/templates/main.tmpl", nullptr},
    {"store--get/confdir/templates/main.tmpl", nullptr},
    {"store--gets-glob/confdir/templates/main.tmpl", nullptr},
    {"store--gets-sort/confdir/templates/main.tmpl", nullptr},
    {"store--getv-default/confdir/templates/main.tmpl", nullptr},
    {"store--getvs/confdir/templates/main.tmpl", nullptr},
    {"store--ls/confdir/templates/main.tmpl", nullptr},
    {"store--lsdir/confdir/templates/main.tmpl", nullptr},
    {"store--special-chars/confdir/templates/main.tmpl", nullptr},
    {"strfn--base-dir/confdir/templates/main.tmpl", nullptr},
    {"strfn--base64/confdir/templates/main.tmpl", nullptr},
    {"strfn--case/confdir/templates/main.tmpl", nullptr},
    {"strfn--combos/confdir/templates/main.tmpl", nullptr},
    {"strfn--contains-replace/confdir/templates/main.tmpl", nullptr},
    {"strfn--parseBool/confdir/templates/main.tmpl", nullptr},
    {"strfn--split-join/confdir/templates/main.tmpl", nullptr},
    {"strfn--trimSuffix/confdir/templates/main.tmpl", nullptr},
    {"text--actions-basic/confdir/templates/main.tmpl", nullptr},
    {"text--comments/confdir/templates/main.tmpl", nullptr},
    {"text--empty-output/confdir/templates/main.tmpl", nullptr},
    {"text--newlines-crlf/confdir/templates/main.tmpl", nullptr},
    {"text--plain-no-actions/confdir/templates/main.tmpl", nullptr},
    {"text--range-blank-lines/confdir/templates/main.tmpl", nullptr},
    {"text--trim-markers/confdir/templates/main.tmpl", nullptr},
    {"tmpl--block/confdir/templates/main.tmpl", nullptr},
    {"tmpl--data-passing-map/confdir/templates/main.tmpl", nullptr},
    {"tmpl--define-anywhere/confdir/templates/main.tmpl", nullptr},
    {"tmpl--define-template/confdir/templates/main.tmpl", nullptr},
    {"tmpl--dollar-in-template/confdir/templates/main.tmpl", nullptr},
    {"tmpl--nested-recursive/confdir/templates/main.tmpl", nullptr},
    {"vars--declare-assign/confdir/templates/main.tmpl", nullptr},
    {"vars--parens/confdir/templates/main.tmpl", nullptr},
    {"vars--pipelines/confdir/templates/main.tmpl", nullptr},
    {"vars--range-accumulate/confdir/templates/main.tmpl", nullptr},
    {"vars--root-dollar/confdir/templates/main.tmpl", nullptr},
    {"vars--scope/confdir/templates/main.tmpl", nullptr},
    {"yaml--bigints/confdir/templates/main.tmpl", nullptr},
    {"yaml--empty-file/confdir/templates/main.tmpl", nullptr},
    {"yaml--invalid/confdir/templates/main.tmpl", nullptr},
    {"yaml--key-paths/confdir/templates/main.tmpl", nullptr},
    {"yaml--lists/confdir/templates/main.tmpl", nullptr},
    {"yaml--multiline/confdir/templates/main.tmpl", nullptr},
    {"yaml--null-and-empty/confdir/templates/main.tmpl", nullptr},
    {"yaml--quoted-bool-keys/confdir/templates/main.tmpl", nullptr},
    {"yaml--scalars/confdir/templates/main.tmpl", nullptr},
    {"yaml--top-level-list/confdir/templates/main.tmpl", nullptr},
};
// clang-format on

TEST(ParseTest, ConformanceCorpus) {
  const std::filesystem::path root = BERTH_CONFORMANCE_DIR "/public";
  ASSERT_TRUE(std::filesystem::is_directory(root)) << "no corpus at " << root;
  int checked = 0;
  for (const CorpusTemplate& c : kCorpus) {
    SCOPED_TRACE(c.path);
    std::filesystem::path file = root / c.path;
    std::ifstream in(file, std::ios::binary);
    ASSERT_TRUE(in) << file;
    std::stringstream buf;
    buf << in.rdbuf();
    // confd names a template after its file.
    Result<TreeSet> trees = Parse(file.filename().string(), buf.str(), TestOptions());
    if (c.error == nullptr) {
      EXPECT_TRUE(trees.has_value()) << trees.error().message();
    } else {
      ASSERT_FALSE(trees.has_value());
      EXPECT_EQ(trees.error().message(), c.error);
    }
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

}  // namespace
}  // namespace berth::tmpl
