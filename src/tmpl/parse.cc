// The parser: see parse.h.  A recursive descent over the lexer's items with
// up to three items of lookahead, one production per function, each with
// its grammar in a comment, in the order and shape of Go 1.19's parse.go.
// Errors are thrown as ParseError from anywhere below and caught once, in
// Parse().

#include "tmpl/parse.h"

#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "base/gostrconv.h"
#include "tmpl/lex.h"

namespace berth::tmpl {
namespace {

// Lists and commands start with room for this many entries: one allocation
// instead of three for the usual short ones.
constexpr size_t kInitialCapacity = 4;

struct ParseError {
  std::string message;
};

// Whether float64(int64(f)) == f in Go (on amd64): f is integral and fits.
bool FitsInt64(double f) {
  return f >= -9223372036854775808.0 && f < 9223372036854775808.0 && std::trunc(f) == f;
}

// Whether float64(uint64(f)) == f in Go (on amd64).  -0 counts, as 0.
bool FitsUint64(double f) { return f >= 0 && f < 18446744073709551616.0 && std::trunc(f) == f; }

// Fills the integer and float views of a complex number whose imaginary part
// is zero (Go's simplifyComplex).
void SimplifyComplex(NumberNode* n) {
  n->is_float = n->complex128.imag() == 0;
  if (!n->is_float) return;
  n->float64 = n->complex128.real();
  n->is_int = FitsInt64(n->float64);
  if (n->is_int) n->int64 = static_cast<int64_t>(n->float64);
  n->is_uint = FitsUint64(n->float64);
  if (n->is_uint) n->uint64 = static_cast<uint64_t>(n->float64);
}

std::string FloatError(std::string_view s, gostrconv::NumError e) {
  std::string out = "strconv.ParseFloat: parsing ";
  out += gostrconv::Quote(s);
  out += ": ";
  out += gostrconv::NumErrorText(e);
  return out;
}

// What fmt.Sscan(text, &complex128) does with a complex item from the
// lexer: split it into a real and an imaginary float token, as fmt's
// floatToken scans them, and convert both with strconv.ParseFloat.  Returns
// an error message, or nullopt on success.
std::optional<std::string> ScanComplex(std::string_view text, std::complex<double>* out) {
  static constexpr std::string_view kComplexError = "syntax error scanning complex number";
  size_t pos = 0;
  auto accept = [&](std::string_view set) {
    if (pos < text.size() && set.find(text[pos]) != std::string_view::npos) {
      ++pos;
      return true;
    }
    return false;
  };
  // fmt's floatToken: [sign] (nan | inf | [0x] digits [. digits] [exp [sign] digits]).
  auto float_token = [&]() {
    size_t begin = pos;
    if (accept("nN") && accept("aA") && accept("nN")) return text.substr(begin, pos - begin);
    accept("+-");
    if (accept("iI") && accept("nN") && accept("fF")) return text.substr(begin, pos - begin);
    std::string_view digits = "0123456789_";
    std::string_view exp = "eEpP";
    if (accept("0") && accept("xX")) {
      digits = "0123456789aAbBcCdDeEfF_";
      exp = "pP";
    }
    while (accept(digits)) {
    }
    if (accept(".")) {
      while (accept(digits)) {
      }
    }
    if (accept(exp)) {
      accept("+-");
      while (accept("0123456789_")) {
      }
    }
    return text.substr(begin, pos - begin);
  };
  const bool parens = accept("(");
  std::string_view real = float_token();
  if (!accept("+-")) return std::string(kComplexError);
  const char imag_sign = text[pos - 1];
  std::string_view imag_digits = float_token();
  if (!accept("i")) return std::string(kComplexError);
  if (parens && !accept(")")) return std::string(kComplexError);
  // (fmt also reads "1.5p3" as a binary exponent on a decimal mantissa, but
  // the lexer never produces such a token.)
  gostrconv::Parsed<double> re = gostrconv::ParseFloat(real);
  if (!re.ok()) return FloatError(real, re.error);
  std::string imag(1, imag_sign);
  imag += imag_digits;
  gostrconv::Parsed<double> im = gostrconv::ParseFloat(imag);
  if (!im.ok()) return FloatError(imag, im.error);
  *out = {re.value, im.value};
  return std::nullopt;
}

// What ends an item list: nothing yet, {{end}} or {{else}}.  Go represents
// the last two as nodes that never enter a tree.
enum class Control { kNone, kEnd, kElse };

// The result of textOrAction: a node, or an {{end}} / {{else}} marker with
// its position.
struct Element {
  NodePtr node;
  Control control = Control::kNone;
  Pos pos = 0;

  std::string String() const {
    switch (control) {
      case Control::kEnd:
        return "{{end}}";
      case Control::kElse:
        return "{{else}}";
      case Control::kNone:
        break;
    }
    return node->String();
  }
};

using TreeMap = std::map<std::string, std::shared_ptr<Tree>, std::less<>>;

// What every tree of one Parse() call shares: the source, the lexer, the
// options and the set of trees defined so far.
struct Shared {
  Shared(std::string_view n, std::string source, const ParseOptions& o)
      : options(o),
        parse_name(n),
        text(std::make_shared<const std::string>(std::move(source))),
        lexer(*text, LexOptions{o.left_delim, o.right_delim, o.parse_comments,
                                // Go asks its (always empty) function list here, so
                                // break and continue are always keywords.
                                /*break_ok=*/true, /*continue_ok=*/true}) {}

  const ParseOptions& options;
  const std::string parse_name;
  const std::shared_ptr<const std::string> text;
  Lexer lexer;
  TreeMap trees;
};

// Parses one tree: the top level, or one define or block body.  Go keeps
// this state in the Tree itself; here it lives only while parsing.
class TreeParser {
 public:
  explicit TreeParser(Shared* shared) : shared_(shared) {}

  void ParseTopLevel(std::string name);
  void ParseDefinition();
  void ParseBlockBody(std::string name, const TreeParser& parent);

 private:
  // ---- the token stream ----
  Item Next();
  void Backup() { ++peek_count_; }
  void Backup2(const Item& t1);
  void Backup3(const Item& t2, const Item& t1);
  Item Peek();
  Item NextNonSpace();
  Item PeekNonSpace();

  // ---- errors ----
  [[noreturn]] void Errorf(std::string_view message) const;
  [[noreturn]] void Unexpected(const Item& token, std::string_view context) const;
  Item Expect(ItemType expected, std::string_view context);
  Item ExpectOneOf(ItemType expected1, ItemType expected2, std::string_view context);

  // ---- productions ----
  void NewTree(std::string name);
  void Add();
  std::unique_ptr<ListNode> ItemList(Element* next);
  Element TextOrAction();
  Element Action();
  NodePtr BreakControl(Pos pos, int line);
  NodePtr ContinueControl(Pos pos, int line);
  std::unique_ptr<PipeNode> Pipeline(std::string_view context, ItemType end);
  void CheckPipeline(const PipeNode& pipe, std::string_view context) const;
  NodePtr ParseControl(std::unique_ptr<BranchNode> (*make)(Pos, const Tree*, int),
                       bool allow_else_if, std::string_view context);
  NodePtr IfControl();
  NodePtr RangeControl();
  NodePtr WithControl();
  Element EndControl();
  Element ElseControl();
  NodePtr BlockControl();
  NodePtr TemplateControl();
  std::string ParseTemplateName(const Item& token, std::string_view context);
  std::unique_ptr<CommandNode> Command();
  NodePtr Operand();
  NodePtr Term();
  NodePtr NewNumber(const Item& token);
  NodePtr UseVar(Pos pos, std::string_view name);
  std::string UnquoteOrFail(std::string_view quoted) const;

  const Tree* tree() const { return tree_.get(); }

  Shared* const shared_;
  std::shared_ptr<Tree> tree_;  // the tree being built
  std::unique_ptr<ListNode> root_;
  Item token_[3];  // lookahead, most recently read at [0]
  int peek_count_ = 0;
  std::vector<std::string_view> vars_{"$"};  // variables in scope
  int action_line_ = 0;                      // line of the action's left delim, 0 if none
  int range_depth_ = 0;
};

// ---- the token stream ----

Item TreeParser::Next() {
  if (peek_count_ > 0) {
    --peek_count_;
  } else {
    token_[0] = shared_->lexer.NextItem();
  }
  return token_[peek_count_];
}

// Pushes back two items; token_[0] already holds the later one.
void TreeParser::Backup2(const Item& t1) {
  token_[1] = t1;
  peek_count_ = 2;
}

// Pushes back three items (t2 the earliest); token_[0] holds the latest.
void TreeParser::Backup3(const Item& t2, const Item& t1) {
  token_[1] = t1;
  token_[2] = t2;
  peek_count_ = 3;
}

Item TreeParser::Peek() {
  if (peek_count_ > 0) return token_[peek_count_ - 1];
  peek_count_ = 1;
  token_[0] = shared_->lexer.NextItem();
  return token_[0];
}

Item TreeParser::NextNonSpace() {
  Item token;
  do {
    token = Next();
  } while (token.type == ItemType::kSpace);
  return token;
}

Item TreeParser::PeekNonSpace() {
  Item token = NextNonSpace();
  Backup();
  return token;
}

// ---- errors ----

// Go reports the line of the item read last; berth adds that item's column.
void TreeParser::Errorf(std::string_view message) const {
  const std::string& text = *shared_->text;
  size_t pos = std::min(static_cast<size_t>(std::max<Pos>(token_[0].pos, 0)), text.size());
  size_t nl = pos == 0 ? std::string::npos : text.rfind('\n', pos - 1);
  size_t col = nl == std::string::npos ? pos : pos - nl - 1;
  std::string out = "template: ";
  out += shared_->parse_name;
  out += ':';
  out += std::to_string(token_[0].line);
  out += ':';
  out += std::to_string(col);
  out += ": ";
  out += message;
  throw ParseError{std::move(out)};
}

void TreeParser::Unexpected(const Item& token, std::string_view context) const {
  if (token.type == ItemType::kError) {
    std::string message(token.val);
    if (action_line_ != 0 && action_line_ != token.line) {
      // "unclosed action started at", not "unclosed action in action ...".
      message += token.val.ends_with(" action") ? " started at " : " in action started at ";
      message += shared_->parse_name;
      message += ':';
      message += std::to_string(action_line_);
    }
    Errorf(message);
  }
  std::string message = "unexpected ";
  message += token.String();
  message += " in ";
  message += context;
  Errorf(message);
}

Item TreeParser::Expect(ItemType expected, std::string_view context) {
  Item token = NextNonSpace();
  if (token.type != expected) Unexpected(token, context);
  return token;
}

Item TreeParser::ExpectOneOf(ItemType expected1, ItemType expected2, std::string_view context) {
  Item token = NextNonSpace();
  if (token.type != expected1 && token.type != expected2) Unexpected(token, context);
  return token;
}

std::string TreeParser::UnquoteOrFail(std::string_view quoted) const {
  std::optional<std::string> s = gostrconv::Unquote(quoted);
  if (!s) Errorf(gostrconv::NumErrorText(gostrconv::NumError::kSyntax));
  return std::move(*s);
}

// ---- trees ----

void TreeParser::NewTree(std::string name) {
  tree_ = std::make_shared<Tree>(std::move(name), shared_->parse_name, shared_->text);
}

// Records the finished tree in the set (Go's treeSet add): it replaces an
// empty tree of the same name, is dropped if itself empty, and otherwise
// clashes with the existing one.
void TreeParser::Add() {
  tree_->set_root(std::move(root_));
  auto it = shared_->trees.find(tree_->name());
  if (it == shared_->trees.end() || IsEmptyTree(it->second->root())) {
    shared_->trees[tree_->name()] = tree_;
    return;
  }
  if (!IsEmptyTree(tree_->root())) {
    Errorf("template: multiple definition of template " + gostrconv::Quote(tree_->name()));
  }
}

// The top level: like ItemList, but it also takes {{define}}s and runs to
// EOF.
void TreeParser::ParseTopLevel(std::string name) {
  NewTree(std::move(name));
  root_ = std::make_unique<ListNode>(Peek().pos, tree());
  root_->nodes.reserve(kInitialCapacity);
  while (Peek().type != ItemType::kEOF) {
    if (Peek().type == ItemType::kLeftDelim) {
      Item delim = Next();
      if (NextNonSpace().type == ItemType::kDefine) {
        TreeParser definition(shared_);
        definition.ParseDefinition();
        continue;
      }
      Backup2(delim);
    }
    Element e = TextOrAction();
    if (e.control != Control::kNone) Errorf("unexpected " + e.String());
    root_->nodes.push_back(std::move(e.node));
  }
  Add();
}

// Definition:
//	{{define stringValue}} itemList {{end}}
// "define" has been read.
void TreeParser::ParseDefinition() {
  static constexpr std::string_view kContext = "define clause";
  Item name = ExpectOneOf(ItemType::kString, ItemType::kRawString, kContext);
  NewTree(UnquoteOrFail(name.val));
  Expect(ItemType::kRightDelim, kContext);
  Element end;
  root_ = ItemList(&end);
  if (end.control != Control::kEnd) {
    Errorf("unexpected " + end.String() + " in " + std::string(kContext));
  }
  Add();
}

// The body of {{block "name" pipeline}} ... {{end}}, as its own tree.  An
// improper ending is reported by the parent, as Go does.
void TreeParser::ParseBlockBody(std::string name, const TreeParser& parent) {
  NewTree(std::move(name));
  Element end;
  root_ = ItemList(&end);
  if (end.control != Control::kEnd) {
    parent.Errorf("unexpected " + end.String() + " in block clause");
  }
  Add();
}

// ---- productions ----

// itemList:
//	textOrAction*
// Ends at {{end}} or {{else}}, which is stored in *next.
std::unique_ptr<ListNode> TreeParser::ItemList(Element* next) {
  auto list = std::make_unique<ListNode>(PeekNonSpace().pos, tree());
  list->nodes.reserve(kInitialCapacity);
  while (PeekNonSpace().type != ItemType::kEOF) {
    Element e = TextOrAction();
    if (e.control != Control::kNone) {
      *next = std::move(e);
      return list;
    }
    list->nodes.push_back(std::move(e.node));
  }
  Errorf("unexpected EOF");
}

// textOrAction:
//	text | comment | action
Element TreeParser::TextOrAction() {
  Item token = NextNonSpace();
  switch (token.type) {
    case ItemType::kText:
      return Element{std::make_unique<TextNode>(token.pos, tree(), std::string(token.val))};
    case ItemType::kLeftDelim: {
      action_line_ = token.line;
      Element e = Action();
      action_line_ = 0;
      return e;
    }
    case ItemType::kComment:
      return Element{std::make_unique<CommentNode>(token.pos, tree(), std::string(token.val))};
    default:
      Unexpected(token, "input");
  }
}

// Action:
//	control
//	command ("|" command)*
// The left delimiter has been read; a keyword may come first.
Element TreeParser::Action() {
  Item token = NextNonSpace();
  switch (token.type) {
    case ItemType::kBlock:
      return Element{BlockControl()};
    case ItemType::kBreak:
      return Element{BreakControl(token.pos, token.line)};
    case ItemType::kContinue:
      return Element{ContinueControl(token.pos, token.line)};
    case ItemType::kElse:
      return ElseControl();
    case ItemType::kEnd:
      return EndControl();
    case ItemType::kIf:
      return Element{IfControl()};
    case ItemType::kRange:
      return Element{RangeControl()};
    case ItemType::kTemplate:
      return Element{TemplateControl()};
    case ItemType::kWith:
      return Element{WithControl()};
    default:
      break;
  }
  Backup();
  token = Peek();
  // Variables declared here stay in scope until the enclosing {{end}}.
  auto pipe = Pipeline("command", ItemType::kRightDelim);
  return Element{std::make_unique<ActionNode>(token.pos, tree(), token.line, std::move(pipe))};
}

// Break:
//	{{break}}
// "break" has been read.
NodePtr TreeParser::BreakControl(Pos pos, int line) {
  if (Item token = NextNonSpace(); token.type != ItemType::kRightDelim) {
    Unexpected(token, "{{break}}");
  }
  if (range_depth_ == 0) Errorf("{{break}} outside {{range}}");
  return std::make_unique<BreakNode>(pos, tree(), line);
}

// Continue:
//	{{continue}}
// "continue" has been read.
NodePtr TreeParser::ContinueControl(Pos pos, int line) {
  if (Item token = NextNonSpace(); token.type != ItemType::kRightDelim) {
    Unexpected(token, "{{continue}}");
  }
  if (range_depth_ == 0) Errorf("{{continue}} outside {{range}}");
  return std::make_unique<ContinueNode>(pos, tree(), line);
}

// Pipeline:
//	declarations? command ('|' command)*
std::unique_ptr<PipeNode> TreeParser::Pipeline(std::string_view context, ItemType end) {
  Item token = PeekNonSpace();
  auto pipe = std::make_unique<PipeNode>(token.pos, tree(), token.line);
  pipe->cmds.reserve(2);
  // Declarations or assignments: "$x :=", "$x =", and in range "$i, $v :=".
  while (true) {
    Item v = PeekNonSpace();
    if (v.type != ItemType::kVariable) break;
    Next();
    // Spaces are items, so telling "$x := 1" from "$x 1" may take three
    // items of lookahead: keep the one after the variable to push back.
    Item token_after_variable = Peek();
    Item next = PeekNonSpace();
    if (next.type == ItemType::kAssign || next.type == ItemType::kDeclare) {
      pipe->is_assign = next.type == ItemType::kAssign;
      NextNonSpace();
      pipe->decl.push_back(std::make_unique<VariableNode>(
          v.pos, tree(), std::vector<std::string>{std::string(v.val)}));
      vars_.push_back(v.val);
    } else if (next.type == ItemType::kChar && next.val == ",") {
      NextNonSpace();
      pipe->decl.push_back(std::make_unique<VariableNode>(
          v.pos, tree(), std::vector<std::string>{std::string(v.val)}));
      vars_.push_back(v.val);
      if (context == "range" && pipe->decl.size() < 2) {
        switch (PeekNonSpace().type) {
          case ItemType::kVariable:
          case ItemType::kRightDelim:
          case ItemType::kRightParen:
            continue;  // the second variable of a range
          default:
            Errorf("range can only initialize variables");
        }
      }
      Errorf("too many declarations in " + std::string(context));
    } else if (token_after_variable.type == ItemType::kSpace) {
      Backup3(v, token_after_variable);
    } else {
      Backup2(v);
    }
    break;
  }
  while (true) {
    Item t = NextNonSpace();
    if (t.type == end) {
      CheckPipeline(*pipe, context);
      return pipe;
    }
    switch (t.type) {
      case ItemType::kBool:
      case ItemType::kCharConstant:
      case ItemType::kComplex:
      case ItemType::kDot:
      case ItemType::kField:
      case ItemType::kIdentifier:
      case ItemType::kNumber:
      case ItemType::kNil:
      case ItemType::kRawString:
      case ItemType::kString:
      case ItemType::kVariable:
      case ItemType::kLeftParen:
        Backup();
        pipe->cmds.push_back(Command());
        break;
      default:
        Unexpected(t, context);
    }
  }
}

void TreeParser::CheckPipeline(const PipeNode& pipe, std::string_view context) const {
  if (pipe.cmds.empty()) Errorf("missing value for " + std::string(context));
  // Only the first command may start with a constant or dot.
  for (size_t i = 1; i < pipe.cmds.size(); ++i) {
    switch (pipe.cmds[i]->args[0]->type) {
      case NodeType::kBool:
      case NodeType::kDot:
      case NodeType::kNil:
      case NodeType::kNumber:
      case NodeType::kString:
        Errorf("non executable command in pipeline stage " + std::to_string(i + 1));
      default:
        break;
    }
  }
}

// The shared part of if, range and with: the pipeline, the list, and an
// optional {{else}} list; `{{else if ...}}` (in if only) becomes an else
// list holding one nested if.
NodePtr TreeParser::ParseControl(std::unique_ptr<BranchNode> (*make)(Pos, const Tree*, int),
                                 bool allow_else_if, std::string_view context) {
  const size_t vars_in_scope = vars_.size();
  const bool is_range = context == "range";
  auto pipe = Pipeline(context, ItemType::kRightDelim);
  if (is_range) ++range_depth_;
  Element next;
  auto list = ItemList(&next);
  if (is_range) --range_depth_;
  std::unique_ptr<ListNode> else_list;
  if (next.control == Control::kElse) {
    if (allow_else_if && Peek().type == ItemType::kIf) {
      // {{if a}}_{{else if b}}_{{end}} is {{if a}}_{{else}}{{if b}}_{{end}}{{end}}:
      // the nested if consumes the only {{end}}.
      Next();
      else_list = std::make_unique<ListNode>(next.pos, tree());
      else_list->nodes.push_back(IfControl());
    } else {
      else_list = ItemList(&next);
      if (next.control != Control::kEnd) Errorf("expected end; found " + next.String());
    }
  }
  vars_.resize(vars_in_scope);
  auto node = make(pipe->pos, tree(), pipe->line);
  node->pipe = std::move(pipe);
  node->list = std::move(list);
  node->else_list = std::move(else_list);
  return node;
}

// If:
//	{{if pipeline}} itemList {{end}}
//	{{if pipeline}} itemList {{else}} itemList {{end}}
// "if" has been read.
NodePtr TreeParser::IfControl() {
  return ParseControl(
      [](Pos p, const Tree* t, int line) -> std::unique_ptr<BranchNode> {
        return std::make_unique<IfNode>(p, t, line);
      },
      true, "if");
}

// Range:
//	{{range pipeline}} itemList {{end}}
//	{{range pipeline}} itemList {{else}} itemList {{end}}
// "range" has been read.
NodePtr TreeParser::RangeControl() {
  return ParseControl(
      [](Pos p, const Tree* t, int line) -> std::unique_ptr<BranchNode> {
        return std::make_unique<RangeNode>(p, t, line);
      },
      false, "range");
}

// With:
//	{{with pipeline}} itemList {{end}}
//	{{with pipeline}} itemList {{else}} itemList {{end}}
// "with" has been read.
NodePtr TreeParser::WithControl() {
  return ParseControl(
      [](Pos p, const Tree* t, int line) -> std::unique_ptr<BranchNode> {
        return std::make_unique<WithNode>(p, t, line);
      },
      false, "with");
}

// End:
//	{{end}}
// "end" has been read.
Element TreeParser::EndControl() {
  Item token = Expect(ItemType::kRightDelim, "end");
  return Element{nullptr, Control::kEnd, token.pos};
}

// Else:
//	{{else}}
// "else" has been read.  In "{{else if", the "if" is left for ParseControl.
Element TreeParser::ElseControl() {
  Item peek = PeekNonSpace();
  if (peek.type == ItemType::kIf) return Element{nullptr, Control::kElse, peek.pos};
  Item token = Expect(ItemType::kRightDelim, "else");
  return Element{nullptr, Control::kElse, token.pos};
}

// Block:
//	{{block stringValue pipeline}}
// "block" has been read.  The body up to {{end}} becomes a tree of its own;
// here the block is a {{template}} call of it.  The pipeline is mandatory.
NodePtr TreeParser::BlockControl() {
  static constexpr std::string_view kContext = "block clause";
  Item token = NextNonSpace();
  std::string name = ParseTemplateName(token, kContext);
  auto pipe = Pipeline(kContext, ItemType::kRightDelim);
  TreeParser block(shared_);
  block.ParseBlockBody(name, *this);
  auto node = std::make_unique<TemplateNode>(token.pos, tree(), token.line, std::move(name));
  node->pipe = std::move(pipe);
  return node;
}

// Template:
//	{{template stringValue pipeline}}
// "template" has been read.  The pipeline is optional.
NodePtr TreeParser::TemplateControl() {
  static constexpr std::string_view kContext = "template clause";
  Item token = NextNonSpace();
  std::string name = ParseTemplateName(token, kContext);
  std::unique_ptr<PipeNode> pipe;
  if (NextNonSpace().type != ItemType::kRightDelim) {
    Backup();
    pipe = Pipeline(kContext, ItemType::kRightDelim);
  }
  auto node = std::make_unique<TemplateNode>(token.pos, tree(), token.line, std::move(name));
  node->pipe = std::move(pipe);
  return node;
}

std::string TreeParser::ParseTemplateName(const Item& token, std::string_view context) {
  if (token.type != ItemType::kString && token.type != ItemType::kRawString) {
    Unexpected(token, context);
  }
  return UnquoteOrFail(token.val);
}

// command:
//	operand (space operand)*
// Up to a pipe (consumed) or a right delimiter or paren (left for the
// caller).
std::unique_ptr<CommandNode> TreeParser::Command() {
  auto cmd = std::make_unique<CommandNode>(PeekNonSpace().pos, tree());
  cmd->args.reserve(kInitialCapacity);
  while (true) {
    PeekNonSpace();  // skip leading spaces
    if (NodePtr operand = Operand()) cmd->args.push_back(std::move(operand));
    Item token = Next();
    if (token.type == ItemType::kSpace) continue;
    if (token.type == ItemType::kRightDelim || token.type == ItemType::kRightParen) {
      Backup();
    } else if (token.type != ItemType::kPipe) {
      Unexpected(token, "operand");
    }
    break;
  }
  if (cmd->args.empty()) Errorf("empty command");
  return cmd;
}

// operand:
//	term .Field*
// Null when the next item is not an operand.  Fields after a field or a
// variable extend it; after anything else they make a chain.
NodePtr TreeParser::Operand() {
  NodePtr node = Term();
  if (!node) return nullptr;
  if (Peek().type != ItemType::kField) return node;
  const Pos chain_pos = Peek().pos;
  std::vector<std::string> fields;
  while (Peek().type == ItemType::kField) fields.emplace_back(Next().val.substr(1));
  switch (node->type) {
    case NodeType::kField: {
      auto* f = static_cast<FieldNode*>(node.get());
      std::vector<std::string> ident = std::move(f->ident);
      ident.reserve(ident.size() + fields.size());
      for (auto& s : fields) ident.push_back(std::move(s));
      return std::make_unique<FieldNode>(chain_pos, tree(), std::move(ident));
    }
    case NodeType::kVariable: {
      auto* v = static_cast<VariableNode*>(node.get());
      std::vector<std::string> ident = std::move(v->ident);
      ident.reserve(ident.size() + fields.size());
      for (auto& s : fields) ident.push_back(std::move(s));
      return std::make_unique<VariableNode>(chain_pos, tree(), std::move(ident));
    }
    case NodeType::kBool:
    case NodeType::kString:
    case NodeType::kNumber:
    case NodeType::kNil:
    case NodeType::kDot:
      Errorf("unexpected . after term " + gostrconv::Quote(node->String()));
    default: {
      auto chain = std::make_unique<ChainNode>(chain_pos, tree(), std::move(node));
      chain->field = std::move(fields);
      return chain;
    }
  }
}

// term:
//	literal (number, string, nil, boolean)
//	function (identifier)
//	.
//	.Field
//	$
//	'(' pipeline ')'
// Null when the next item is not a term.
NodePtr TreeParser::Term() {
  Item token = NextNonSpace();
  switch (token.type) {
    case ItemType::kIdentifier: {
      const ParseOptions& o = shared_->options;
      if (!o.skip_func_check && !(o.has_function && o.has_function(token.val))) {
        Errorf("function " + gostrconv::Quote(token.val) + " not defined");
      }
      return std::make_unique<IdentifierNode>(token.pos, tree(), std::string(token.val));
    }
    case ItemType::kDot:
      return std::make_unique<DotNode>(token.pos, tree());
    case ItemType::kNil:
      return std::make_unique<NilNode>(token.pos, tree());
    case ItemType::kVariable:
      return UseVar(token.pos, token.val);
    case ItemType::kField: {
      std::vector<std::string> ident;
      std::string_view rest = token.val.substr(1);
      ident.emplace_back(rest);
      return std::make_unique<FieldNode>(token.pos, tree(), std::move(ident));
    }
    case ItemType::kBool:
      return std::make_unique<BoolNode>(token.pos, tree(), token.val == "true");
    case ItemType::kCharConstant:
    case ItemType::kComplex:
    case ItemType::kNumber:
      return NewNumber(token);
    case ItemType::kLeftParen:
      return Pipeline("parenthesized pipeline", ItemType::kRightParen);
    case ItemType::kString:
    case ItemType::kRawString: {
      std::string s = UnquoteOrFail(token.val);
      return std::make_unique<StringNode>(token.pos, tree(), std::string(token.val), std::move(s));
    }
    default:
      break;
  }
  Backup();
  return nullptr;
}

// A number constant, stored under every type that represents it exactly, as
// Go's ideal constants would be: "1e3" is an int and a float, 'a' an int.
NodePtr TreeParser::NewNumber(const Item& token) {
  const std::string_view text = token.val;
  auto n = std::make_unique<NumberNode>(token.pos, tree(), std::string(text));
  if (token.type == ItemType::kCharConstant) {
    std::optional<gostrconv::UnquotedChar> c = gostrconv::UnquoteChar(text.substr(1), text[0]);
    if (!c) Errorf(gostrconv::NumErrorText(gostrconv::NumError::kSyntax));
    if (c->tail != "'") Errorf("malformed character constant: " + std::string(text));
    n->int64 = c->value;
    n->is_int = true;
    n->uint64 = static_cast<uint64_t>(static_cast<uint32_t>(c->value));
    n->is_uint = true;
    n->float64 = c->value;  // odd, but those are Go's rules
    n->is_float = true;
    return n;
  }
  if (token.type == ItemType::kComplex) {
    if (std::optional<std::string> err = ScanComplex(text, &n->complex128)) Errorf(*err);
    n->is_complex = true;
    SimplifyComplex(n.get());
    return n;
  }
  // An imaginary constant is complex (and, if zero, also an int and float).
  if (!text.empty() && text.back() == 'i') {
    gostrconv::Parsed<double> f = gostrconv::ParseFloat(text.substr(0, text.size() - 1));
    if (f.ok()) {
      n->is_complex = true;
      n->complex128 = {0, f.value};
      SimplifyComplex(n.get());
      return n;
    }
  }
  // Integers first, so that 0x123 is read as one.
  gostrconv::Parsed<uint64_t> u = gostrconv::ParseUint(text, 0, 64);  // fails for -0
  if (u.ok()) {
    n->is_uint = true;
    n->uint64 = u.value;
  }
  gostrconv::Parsed<int64_t> i = gostrconv::ParseInt(text, 0, 64);
  if (i.ok()) {
    n->is_int = true;
    n->int64 = i.value;
    if (i.value == 0) {
      n->is_uint = true;  // -0
      n->uint64 = u.value;
    }
  }
  if (n->is_int) {
    n->is_float = true;
    n->float64 = static_cast<double>(n->int64);
  } else if (n->is_uint) {
    n->is_float = true;
    n->float64 = static_cast<double>(n->uint64);
  } else {
    gostrconv::Parsed<double> f = gostrconv::ParseFloat(text);
    if (f.ok()) {
      // An integer too large for 64 bits parses as a float: reject it.
      if (text.find_first_of(".eEpP") == std::string_view::npos) {
        Errorf("integer overflow: " + gostrconv::Quote(text));
      }
      n->is_float = true;
      n->float64 = f.value;
      if (FitsInt64(f.value)) {
        n->is_int = true;
        n->int64 = static_cast<int64_t>(f.value);
      }
      if (FitsUint64(f.value)) {
        n->is_uint = true;
        n->uint64 = static_cast<uint64_t>(f.value);
      }
    }
  }
  if (!n->is_int && !n->is_uint && !n->is_float) {
    Errorf("illegal number syntax: " + gostrconv::Quote(text));
  }
  return n;
}

// A reference to a variable, which must be in scope.
NodePtr TreeParser::UseVar(Pos pos, std::string_view name) {
  for (std::string_view v : vars_) {
    if (v == name) {
      return std::make_unique<VariableNode>(pos, tree(),
                                            std::vector<std::string>{std::string(name)});
    }
  }
  Errorf("undefined variable " + gostrconv::Quote(name));
}

}  // namespace

Result<TreeSet> Parse(std::string_view name, std::string text, const ParseOptions& options) {
  Shared shared(name, std::move(text), options);
  try {
    TreeParser top(&shared);
    top.ParseTopLevel(std::string(name));
  } catch (ParseError& e) {
    return Err(Status::InvalidArgument(std::move(e.message)));
  }
  TreeSet out;
  for (auto& [tree_name, tree] : shared.trees) out.emplace(tree_name, std::move(tree));
  return out;
}

}  // namespace berth::tmpl
