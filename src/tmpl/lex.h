// The lexer of Go's text/template (text/template/parse/lex.go, Go 1.19): a
// state machine that cuts template source into items (text, delimiters,
// identifiers, strings, numbers, ...) for the parser.
//
// Trim markers (`{{- ` and ` -}}`) are applied here: the text items simply
// come out without the trimmed spaces.  A lexical error ends the stream with
// one kError item whose val is the message.
//
// The lexer works on demand: each NextItem() runs state functions until one
// item is ready.  A Lexer only views its input (and the delimiters given to
// it): they must outlive it.  Item::val views the input too, or, for the
// error item, a string owned by the Lexer.  Not thread-safe; one Lexer per
// parse.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tmpl/node.h"

namespace berth::tmpl {

// The kinds of items, in Go's order: every keyword comes after kKeyword.
enum class ItemType : uint8_t {
  kError,         // the value is the error message
  kBool,          // true or false
  kChar,          // printable ASCII punctuation such as ','
  kCharConstant,  // 'c', quotes included
  kComment,       // /* ... */ (only with LexOptions::emit_comment)
  kComplex,       // 1+2i
  kAssign,        // =
  kDeclare,       // :=
  kEOF,
  kField,       // .Name
  kIdentifier,  // a name not starting with '.' or '$'
  kLeftDelim,
  kLeftParen,
  kNumber,  // integer, float or imaginary literal
  kPipe,
  kRawString,  // `...`, quotes included
  kRightDelim,
  kRightParen,
  kSpace,     // a run of spaces between arguments
  kString,    // "...", quotes included
  kText,      // text outside actions
  kVariable,  // $, $x, $1
  kKeyword,   // marks where keywords begin; never emitted
  kBlock,
  kBreak,
  kContinue,
  kDot,
  kDefine,
  kElse,
  kEnd,
  kIf,
  kNil,
  kRange,
  kTemplate,
  kWith,
};

struct Item {
  ItemType type = ItemType::kError;
  Pos pos = 0;           // byte offset of the item in the input
  std::string_view val;  // the item's text (for kError, the message)
  int line = 0;          // line the item starts on, 1-based

  // The item as Go's parser quotes it in messages: EOF, the error text,
  // <keyword>, "short" or "first ten"... (runes, Go-quoted).
  std::string String() const;
};

struct LexOptions {
  std::string_view left_delim;   // empty means "{{"
  std::string_view right_delim;  // empty means "}}"
  bool emit_comment = false;     // produce kComment items (Go's ParseComments)
  bool break_ok = true;          // "break" is a keyword, not an identifier
  bool continue_ok = true;       // "continue" is a keyword, not an identifier
};

class Lexer {
 public:
  Lexer(std::string_view input, const LexOptions& options);
  Lexer(const Lexer&) = delete;
  Lexer& operator=(const Lexer&) = delete;

  // The next item.  After kEOF or kError, every call returns kEOF.
  Item NextItem();

 private:
  // One state function per state, as in Go; each returns the next state.
  enum class State : uint8_t {
    kText,
    kLeftDelim,
    kComment,
    kRightDelim,
    kInsideAction,
    kSpace,
    kIdentifier,
    kField,
    kVariable,
    kChar,
    kNumber,
    kQuote,
    kRawQuote,
    kDone,
  };
  static constexpr int32_t kEof = -1;

  State Run(State s);
  State LexText();
  State LexLeftDelim();
  State LexComment();
  State LexRightDelim();
  State LexInsideAction();
  State LexSpace();
  State LexIdentifier();
  State LexFieldOrVariable(ItemType type);
  State LexVariable();
  State LexChar();
  State LexNumber();
  State LexQuote();
  State LexRawQuote();

  int32_t Next();
  int32_t Peek();
  void Backup();
  void Emit(ItemType t);
  void Ignore();
  bool Accept(std::string_view valid);
  void AcceptRun(std::string_view valid);
  void Push(const Item& item);
  State Errorf(std::string message);
  bool AtTerminator();
  // Whether a right delimiter (possibly preceded by a trim marker) is next.
  bool AtRightDelim(bool* trim_spaces) const;
  bool ScanNumber();
  int CountNewlines(size_t from, size_t to) const;

  // Constant after construction.
  const std::string_view input_;
  const std::string_view left_delim_;
  const std::string_view right_delim_;
  const bool emit_comment_;
  const bool break_ok_;
  const bool continue_ok_;

  size_t pos_ = 0;    // current position
  size_t start_ = 0;  // start of the pending item
  bool at_eof_ = false;
  int paren_depth_ = 0;
  int line_ = 1;        // 1 + newlines before pos_
  int start_line_ = 1;  // line of start_
  State state_ = State::kText;
  // Items emitted but not yet returned: a state function emits at most two
  // (")" and then an error).
  Item pending_[2];
  int pending_count_ = 0;
  int pending_next_ = 0;
  std::string error_;  // the message the error item views
};

}  // namespace berth::tmpl
