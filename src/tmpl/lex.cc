// The lexer: see lex.h.  The state functions and their bookkeeping of
// positions and line numbers follow Go 1.19's lex.go closely, because the
// parser reports those line numbers in its error messages.

#include "tmpl/lex.h"

#include <algorithm>
#include <cstdio>

#include "base/gostrconv.h"
#include "base/gounicode.h"

namespace berth::tmpl {
namespace {

constexpr std::string_view kDefaultLeftDelim = "{{";
constexpr std::string_view kDefaultRightDelim = "}}";
constexpr std::string_view kLeftComment = "/*";
constexpr std::string_view kRightComment = "*/";
constexpr std::string_view kSpaceChars = " \t\r\n";
constexpr size_t kTrimMarkerLen = 2;  // the '-' plus the space beside it

constexpr std::string_view kDecimalDigits = "0123456789_";
constexpr std::string_view kHexDigits = "0123456789abcdefABCDEF_";
constexpr std::string_view kOctalDigits = "01234567_";
constexpr std::string_view kBinaryDigits = "01_";

bool IsSpace(int32_t r) { return r == ' ' || r == '\t' || r == '\r' || r == '\n'; }

bool IsAlphaNumeric(int32_t r) {
  if (r < 0x80) {
    return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9');
  }
  return gounicode::IsLetter(r) || gounicode::IsDigit(r);
}

// "{{- " : a '-' and then an ASCII space.
bool HasLeftTrimMarker(std::string_view s) {
  return s.size() >= 2 && s[0] == '-' && IsSpace(static_cast<unsigned char>(s[1]));
}

// " -}}" : an ASCII space and then a '-'.
bool HasRightTrimMarker(std::string_view s) {
  return s.size() >= 2 && IsSpace(static_cast<unsigned char>(s[0])) && s[1] == '-';
}

size_t RightTrimLength(std::string_view s) {
  size_t keep = s.find_last_not_of(kSpaceChars);
  return keep == std::string_view::npos ? s.size() : s.size() - keep - 1;
}

size_t LeftTrimLength(std::string_view s) {
  size_t skip = s.find_first_not_of(kSpaceChars);
  return skip == std::string_view::npos ? s.size() : skip;
}

ItemType KeywordType(std::string_view word) {
  switch (word.size()) {
    case 1:
      if (word == ".") return ItemType::kDot;
      break;
    case 2:
      if (word == "if") return ItemType::kIf;
      break;
    case 3:
      if (word == "end") return ItemType::kEnd;
      if (word == "nil") return ItemType::kNil;
      break;
    case 4:
      if (word == "else") return ItemType::kElse;
      if (word == "with") return ItemType::kWith;
      break;
    case 5:
      if (word == "block") return ItemType::kBlock;
      if (word == "break") return ItemType::kBreak;
      if (word == "range") return ItemType::kRange;
      break;
    case 6:
      if (word == "define") return ItemType::kDefine;
      break;
    case 8:
      if (word == "continue") return ItemType::kContinue;
      if (word == "template") return ItemType::kTemplate;
      break;
  }
  return ItemType::kError;  // not a keyword
}

// Go's %#U: U+0029 ')' (the character only when printable).
std::string FormatRune(int32_t r) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(r));
  std::string out = buf;
  if (r >= 0 && r <= gounicode::kMaxRune && gounicode::IsPrint(r)) {
    out += " '";
    gounicode::AppendRune(&out, r);
    out += '\'';
  }
  return out;
}

}  // namespace

std::string Item::String() const {
  switch (type) {
    case ItemType::kEOF:
      return "EOF";
    case ItemType::kError:
      return std::string(val);
    default:
      break;
  }
  if (type > ItemType::kKeyword) return "<" + std::string(val) + ">";
  if (val.size() > 10) {
    // Go's %.10q: the first ten runes (an invalid byte counts as one), quoted.
    size_t cut = 0;
    for (int runes = 0; runes < 10 && cut < val.size(); ++runes) {
      cut += gounicode::DecodeRune(val.substr(cut)).size;
    }
    std::string out = gostrconv::Quote(val.substr(0, cut));
    out += "...";
    return out;
  }
  return gostrconv::Quote(val);
}

Lexer::Lexer(std::string_view input, const LexOptions& options)
    : input_(input),
      left_delim_(options.left_delim.empty() ? kDefaultLeftDelim : options.left_delim),
      right_delim_(options.right_delim.empty() ? kDefaultRightDelim : options.right_delim),
      emit_comment_(options.emit_comment),
      break_ok_(options.break_ok),
      continue_ok_(options.continue_ok) {}

Item Lexer::NextItem() {
  if (pending_next_ == pending_count_) {
    pending_next_ = pending_count_ = 0;
    while (pending_count_ == 0) {
      if (state_ == State::kDone) return Item{ItemType::kEOF, static_cast<Pos>(pos_), {}, line_};
      state_ = Run(state_);
    }
  }
  return pending_[pending_next_++];
}

void Lexer::Push(const Item& item) { pending_[pending_count_++] = item; }

Lexer::State Lexer::Run(State s) {
  switch (s) {
    case State::kText:
      return LexText();
    case State::kLeftDelim:
      return LexLeftDelim();
    case State::kComment:
      return LexComment();
    case State::kRightDelim:
      return LexRightDelim();
    case State::kInsideAction:
      return LexInsideAction();
    case State::kSpace:
      return LexSpace();
    case State::kIdentifier:
      return LexIdentifier();
    case State::kField:
      return LexFieldOrVariable(ItemType::kField);
    case State::kVariable:
      return LexVariable();
    case State::kChar:
      return LexChar();
    case State::kNumber:
      return LexNumber();
    case State::kQuote:
      return LexQuote();
    case State::kRawQuote:
      return LexRawQuote();
    case State::kDone:
      break;
  }
  return State::kDone;
}

// ---- primitives ----

int32_t Lexer::Next() {
  if (pos_ >= input_.size()) {
    at_eof_ = true;
    return kEof;
  }
  int32_t r;
  unsigned char c = static_cast<unsigned char>(input_[pos_]);
  if (c < 0x80) {
    r = c;
    ++pos_;
  } else {
    gounicode::Decoded d = gounicode::DecodeRune(input_.substr(pos_));
    r = d.rune;
    pos_ += d.size;
  }
  if (r == '\n') ++line_;
  return r;
}

int32_t Lexer::Peek() {
  int32_t r = Next();
  Backup();
  return r;
}

// Steps back one rune; a no-op once the end of input has been reached, as
// in Go.
void Lexer::Backup() {
  if (at_eof_ || pos_ == 0) return;
  unsigned char c = static_cast<unsigned char>(input_[pos_ - 1]);
  if (c < 0x80) {
    --pos_;
    if (c == '\n') --line_;
    return;
  }
  pos_ -= gounicode::DecodeLastRune(input_.substr(0, pos_)).size;
}

void Lexer::Emit(ItemType t) {
  Push(Item{t, static_cast<Pos>(start_), input_.substr(start_, pos_ - start_), start_line_});
  start_ = pos_;
  start_line_ = line_;
}

void Lexer::Ignore() {
  line_ += CountNewlines(start_, pos_);
  start_ = pos_;
  start_line_ = line_;
}

int Lexer::CountNewlines(size_t from, size_t to) const {
  return static_cast<int>(std::count(input_.begin() + from, input_.begin() + to, '\n'));
}

bool Lexer::Accept(std::string_view valid) {
  int32_t r = Next();
  if (r >= 0 && r < 0x80 && valid.find(static_cast<char>(r)) != std::string_view::npos) {
    return true;
  }
  Backup();
  return false;
}

void Lexer::AcceptRun(std::string_view valid) {
  while (Accept(valid)) {
  }
}

Lexer::State Lexer::Errorf(std::string message) {
  error_ = std::move(message);
  Push(Item{ItemType::kError, static_cast<Pos>(start_), error_, start_line_});
  return State::kDone;
}

bool Lexer::AtRightDelim(bool* trim_spaces) const {
  std::string_view rest = input_.substr(pos_);
  if (HasRightTrimMarker(rest) && rest.substr(kTrimMarkerLen).starts_with(right_delim_)) {
    *trim_spaces = true;
    return true;
  }
  *trim_spaces = false;
  return rest.starts_with(right_delim_);
}

// Whether the next character may follow an identifier, field or variable.
// This splits .X.Y into two items and rejects $x+2.
bool Lexer::AtTerminator() {
  int32_t r = Peek();
  if (IsSpace(r)) return true;
  switch (r) {
    case kEof:
    case '.':
    case ',':
    case '|':
    case ':':
    case ')':
    case '(':
      return true;
    default:
      break;
  }
  return input_.substr(pos_).starts_with(right_delim_);
}

// ---- state functions ----

// Text up to the next left delimiter (trimming the spaces before it when the
// delimiter carries a trim marker), or up to the end of input.
Lexer::State Lexer::LexText() {
  size_t x = input_.find(left_delim_, pos_);
  if (x != std::string_view::npos) {
    const size_t ldn = left_delim_.size();
    pos_ = x;
    size_t trim_length = 0;
    if (HasLeftTrimMarker(input_.substr(pos_ + ldn))) {
      trim_length = RightTrimLength(input_.substr(start_, pos_ - start_));
    }
    pos_ -= trim_length;
    State next = State::kLeftDelim;
    if (pos_ > start_) {
      line_ += CountNewlines(start_, pos_);
      Emit(ItemType::kText);
    }
    pos_ += trim_length;
    Ignore();
    return next;
  }
  pos_ = input_.size();
  if (pos_ > start_) {
    line_ += CountNewlines(start_, pos_);
    Emit(ItemType::kText);
  }
  Emit(ItemType::kEOF);
  return State::kDone;
}

// The left delimiter, which is known to be present, with its trim marker if
// any.  A comment right after it is lexed as a whole.
Lexer::State Lexer::LexLeftDelim() {
  pos_ += left_delim_.size();
  const bool trim_space = HasLeftTrimMarker(input_.substr(pos_));
  const size_t after_marker = trim_space ? kTrimMarkerLen : 0;
  if (input_.substr(pos_ + after_marker).starts_with(kLeftComment)) {
    pos_ += after_marker;
    Ignore();
    return State::kComment;
  }
  Emit(ItemType::kLeftDelim);
  pos_ += after_marker;
  Ignore();
  paren_depth_ = 0;
  return State::kInsideAction;
}

// A comment; "/*" is known to be next.  In Go 1.19 the comment must be the
// whole action: only a trim marker may stand between "*/" and the delimiter.
Lexer::State Lexer::LexComment() {
  pos_ += kLeftComment.size();
  size_t i = input_.find(kRightComment, pos_);
  if (i == std::string_view::npos) return Errorf("unclosed comment");
  pos_ = i + kRightComment.size();
  bool trim_space;
  if (!AtRightDelim(&trim_space)) return Errorf("comment ends before closing delimiter");
  if (emit_comment_) Emit(ItemType::kComment);
  if (trim_space) pos_ += kTrimMarkerLen;
  pos_ += right_delim_.size();
  if (trim_space) pos_ += LeftTrimLength(input_.substr(pos_));
  Ignore();
  return State::kText;
}

// The right delimiter, which is known to be present, with its trim marker if
// any.
Lexer::State Lexer::LexRightDelim() {
  const bool trim_space = HasRightTrimMarker(input_.substr(pos_));
  if (trim_space) {
    pos_ += kTrimMarkerLen;
    Ignore();
  }
  pos_ += right_delim_.size();
  Emit(ItemType::kRightDelim);
  if (trim_space) {
    pos_ += LeftTrimLength(input_.substr(pos_));
    Ignore();
  }
  return State::kText;
}

// Inside an action: one item per call, dispatching on its first character.
Lexer::State Lexer::LexInsideAction() {
  bool trim;
  if (AtRightDelim(&trim)) {
    if (paren_depth_ == 0) return State::kRightDelim;
    return Errorf("unclosed left paren");
  }
  int32_t r = Next();
  if (r == kEof) return Errorf("unclosed action");
  if (IsSpace(r)) {
    Backup();  // the space may begin " -}}"
    return State::kSpace;
  }
  switch (r) {
    case '=':
      Emit(ItemType::kAssign);
      return State::kInsideAction;
    case ':':
      if (Next() != '=') return Errorf("expected :=");
      Emit(ItemType::kDeclare);
      return State::kInsideAction;
    case '|':
      Emit(ItemType::kPipe);
      return State::kInsideAction;
    case '"':
      return State::kQuote;
    case '`':
      return State::kRawQuote;
    case '$':
      return State::kVariable;
    case '\'':
      return State::kChar;
    case '.':
      // ".x" is a field; ".5" (or a '.' at the very end) starts a number.
      if (pos_ < input_.size()) {
        char c = input_[pos_];
        if (c < '0' || c > '9') return State::kField;
      }
      Backup();
      return State::kNumber;
    case '+':
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
      Backup();
      return State::kNumber;
    case '(':
      Emit(ItemType::kLeftParen);
      ++paren_depth_;
      return State::kInsideAction;
    case ')':
      Emit(ItemType::kRightParen);
      --paren_depth_;
      if (paren_depth_ < 0) return Errorf("unexpected right paren " + FormatRune(r));
      return State::kInsideAction;
    default:
      break;
  }
  if (IsAlphaNumeric(r)) {
    Backup();
    return State::kIdentifier;
  }
  if (r < 0x80 && gounicode::IsPrint(r)) {
    Emit(ItemType::kChar);
    return State::kInsideAction;
  }
  return Errorf("unrecognized character in action: " + FormatRune(r));
}

// A run of spaces; the first is known to be next.  A space followed by
// "-}}" belongs to the right delimiter, not to the run.
Lexer::State Lexer::LexSpace() {
  int num_spaces = 0;
  while (IsSpace(Peek())) {
    Next();
    ++num_spaces;
  }
  if (HasRightTrimMarker(input_.substr(pos_ - 1)) &&
      input_.substr(pos_ - 1 + kTrimMarkerLen).starts_with(right_delim_)) {
    Backup();  // back before the space of " -}}"
    if (num_spaces == 1) return State::kRightDelim;
  }
  Emit(ItemType::kSpace);
  return State::kInsideAction;
}

// An alphanumeric word: a keyword, true/false, or an identifier.
Lexer::State Lexer::LexIdentifier() {
  int32_t r;
  do {
    r = Next();
  } while (IsAlphaNumeric(r));
  Backup();
  if (!AtTerminator()) return Errorf("bad character " + FormatRune(r));
  std::string_view word = input_.substr(start_, pos_ - start_);
  ItemType key = KeywordType(word);
  if (key > ItemType::kKeyword) {
    if ((key == ItemType::kBreak && !break_ok_) || (key == ItemType::kContinue && !continue_ok_)) {
      Emit(ItemType::kIdentifier);
    } else {
      Emit(key);
    }
  } else if (word[0] == '.') {
    Emit(ItemType::kField);
  } else if (word == "true" || word == "false") {
    Emit(ItemType::kBool);
  } else {
    Emit(ItemType::kIdentifier);
  }
  return State::kInsideAction;
}

// A variable: '$' has been consumed.  A lone "$" is a variable too.
Lexer::State Lexer::LexVariable() {
  if (AtTerminator()) {
    Emit(ItemType::kVariable);
    return State::kInsideAction;
  }
  return LexFieldOrVariable(ItemType::kVariable);
}

// A field or a variable: the leading '.' or '$' has been consumed.
Lexer::State Lexer::LexFieldOrVariable(ItemType type) {
  if (AtTerminator()) {  // just "." or "$"
    Emit(type == ItemType::kVariable ? ItemType::kVariable : ItemType::kDot);
    return State::kInsideAction;
  }
  int32_t r;
  while (true) {
    r = Next();
    if (!IsAlphaNumeric(r)) {
      Backup();
      break;
    }
  }
  if (!AtTerminator()) return Errorf("bad character " + FormatRune(r));
  Emit(type);
  return State::kInsideAction;
}

// A character constant: the opening quote has been consumed.  Only the
// extent is found here; the parser checks the contents.
Lexer::State Lexer::LexChar() {
  while (true) {
    int32_t r = Next();
    if (r == '\\') {
      r = Next();
      if (r != kEof && r != '\n') continue;
      return Errorf("unterminated character constant");
    }
    if (r == kEof || r == '\n') return Errorf("unterminated character constant");
    if (r == '\'') break;
  }
  Emit(ItemType::kCharConstant);
  return State::kInsideAction;
}

// A number, or a complex constant "1+2i".  Deliberately lenient ("089" and
// "0x1.2" pass); the parser's strconv calls reject what is not a number.
Lexer::State Lexer::LexNumber() {
  if (!ScanNumber()) {
    return Errorf("bad number syntax: " + gostrconv::Quote(input_.substr(start_, pos_ - start_)));
  }
  int32_t sign = Peek();
  if (sign == '+' || sign == '-') {
    // Complex: no spaces, and it must end in 'i'.
    if (!ScanNumber() || input_[pos_ - 1] != 'i') {
      return Errorf("bad number syntax: " + gostrconv::Quote(input_.substr(start_, pos_ - start_)));
    }
    Emit(ItemType::kComplex);
  } else {
    Emit(ItemType::kNumber);
  }
  return State::kInsideAction;
}

bool Lexer::ScanNumber() {
  Accept("+-");
  std::string_view digits = kDecimalDigits;
  if (Accept("0")) {
    // A leading 0 alone does not make a float octal, so only prefixes count.
    if (Accept("xX")) {
      digits = kHexDigits;
    } else if (Accept("oO")) {
      digits = kOctalDigits;
    } else if (Accept("bB")) {
      digits = kBinaryDigits;
    }
  }
  AcceptRun(digits);
  if (Accept(".")) AcceptRun(digits);
  if (digits == kDecimalDigits && Accept("eE")) {
    Accept("+-");
    AcceptRun(kDecimalDigits);
  }
  if (digits == kHexDigits && Accept("pP")) {
    Accept("+-");
    AcceptRun(kDecimalDigits);
  }
  Accept("i");  // imaginary
  if (IsAlphaNumeric(Peek())) {
    Next();
    return false;
  }
  return true;
}

// A quoted string: the opening quote has been consumed.
Lexer::State Lexer::LexQuote() {
  while (true) {
    int32_t r = Next();
    if (r == '\\') {
      r = Next();
      if (r != kEof && r != '\n') continue;
      return Errorf("unterminated quoted string");
    }
    if (r == kEof || r == '\n') return Errorf("unterminated quoted string");
    if (r == '"') break;
  }
  Emit(ItemType::kString);
  return State::kInsideAction;
}

// A raw string, which may span lines: the opening quote has been consumed.
Lexer::State Lexer::LexRawQuote() {
  while (true) {
    int32_t r = Next();
    if (r == kEof) return Errorf("unterminated raw quoted string");
    if (r == '`') break;
  }
  Emit(ItemType::kRawString);
  return State::kInsideAction;
}

}  // namespace berth::tmpl
