// The parse tree of a Go text/template, node for node as Go's text/template/parse
// defines it (node.go), so that the executor can follow Go's exec.go closely.
//
// A Tree owns its nodes (children are unique_ptr); trees are immutable once
// parsed and may be executed from several threads at once.  Every node keeps
// its byte offset in the source and a pointer to its tree, so errors can be
// located as NAME:LINE:COL (Tree::ErrorContext).
#pragma once

#include <complex>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tmpl/value.h"

namespace berth::tmpl {

using Pos = int32_t;  // byte offset in the template source

enum class NodeType : uint8_t {
  kText,
  kAction,
  kBool,
  kChain,
  kCommand,
  kDot,
  kField,
  kIdentifier,
  kIf,
  kList,
  kNil,
  kNumber,
  kPipe,
  kRange,
  kString,
  kTemplate,
  kVariable,
  kWith,
  kComment,
  kBreak,
  kContinue,
};

class Tree;

struct Node {
  Node(NodeType t, Pos p, const Tree* tr) : type(t), pos(p), tree(tr) {}
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // The node as template source, as Go's Node.String() prints it (used in
  // error messages: `executing "x" at <.Foo>`).
  virtual std::string String() const = 0;

  const NodeType type;
  const Pos pos;
  const Tree* const tree;
};

using NodePtr = std::unique_ptr<Node>;

struct ListNode : Node {
  ListNode(Pos p, const Tree* t) : Node(NodeType::kList, p, t) {}
  std::string String() const override;
  std::vector<NodePtr> nodes;
};

struct TextNode : Node {
  TextNode(Pos p, const Tree* t, std::string txt)
      : Node(NodeType::kText, p, t), text(std::move(txt)) {}
  std::string String() const override;
  std::string text;
};

struct CommentNode : Node {
  CommentNode(Pos p, const Tree* t, std::string txt)
      : Node(NodeType::kComment, p, t), text(std::move(txt)) {}
  std::string String() const override;
  std::string text;  // including the /* */ delimiters
};

struct VariableNode : Node {
  VariableNode(Pos p, const Tree* t, std::vector<std::string> id)
      : Node(NodeType::kVariable, p, t), ident(std::move(id)) {}
  std::string String() const override;
  std::vector<std::string> ident;  // "$x", then field names
};

struct CommandNode : Node {
  CommandNode(Pos p, const Tree* t) : Node(NodeType::kCommand, p, t) {}
  std::string String() const override;
  std::vector<NodePtr> args;  // identifier, field, constant, pipe, ...
};

struct PipeNode : Node {
  PipeNode(Pos p, const Tree* t, int ln) : Node(NodeType::kPipe, p, t), line(ln) {}
  std::string String() const override;
  int line;
  bool is_assign = false;  // `$x = ...` rather than `$x := ...`
  std::vector<std::unique_ptr<VariableNode>> decl;
  std::vector<std::unique_ptr<CommandNode>> cmds;
};

struct ActionNode : Node {
  ActionNode(Pos p, const Tree* t, int ln, std::unique_ptr<PipeNode> pp)
      : Node(NodeType::kAction, p, t), line(ln), pipe(std::move(pp)) {}
  std::string String() const override;
  int line;
  std::unique_ptr<PipeNode> pipe;
};

struct IdentifierNode : Node {
  IdentifierNode(Pos p, const Tree* t, std::string id)
      : Node(NodeType::kIdentifier, p, t), ident(std::move(id)) {}
  std::string String() const override;
  std::string ident;  // a function name
};

struct DotNode : Node {
  DotNode(Pos p, const Tree* t) : Node(NodeType::kDot, p, t) {}
  std::string String() const override;
};

struct NilNode : Node {
  NilNode(Pos p, const Tree* t) : Node(NodeType::kNil, p, t) {}
  std::string String() const override;
};

struct FieldNode : Node {
  FieldNode(Pos p, const Tree* t, std::vector<std::string> id)
      : Node(NodeType::kField, p, t), ident(std::move(id)) {}
  std::string String() const override;
  std::vector<std::string> ident;  // field names, without dots
};

struct ChainNode : Node {
  ChainNode(Pos p, const Tree* t, NodePtr n) : Node(NodeType::kChain, p, t), node(std::move(n)) {}
  std::string String() const override;
  NodePtr node;
  std::vector<std::string> field;  // field names, without dots
};

struct BoolNode : Node {
  BoolNode(Pos p, const Tree* t, bool v) : Node(NodeType::kBool, p, t), value(v) {}
  std::string String() const override;
  bool value;
};

struct NumberNode : Node {
  NumberNode(Pos p, const Tree* t, std::string txt)
      : Node(NodeType::kNumber, p, t), text(std::move(txt)) {}
  std::string String() const override;
  bool is_int = false;      // has an integral value that fits int64
  bool is_uint = false;     // has an unsigned integral value that fits uint64
  bool is_float = false;    // has a floating-point value
  bool is_complex = false;  // is complex
  int64_t int64 = 0;
  uint64_t uint64 = 0;
  double float64 = 0;
  std::complex<double> complex128;
  std::string text;  // as written
};

struct StringNode : Node {
  StringNode(Pos p, const Tree* t, std::string q, std::string txt)
      : Node(NodeType::kString, p, t),
        quoted(std::move(q)),
        text(std::move(txt)),
        value(Value::String(text)) {}
  std::string String() const override;
  std::string quoted;  // as written, with quotes
  std::string text;    // after unquoting
  Value value;         // text as a ready string Value (shares nothing mutable)
};

// if, range and with.
struct BranchNode : Node {
  BranchNode(NodeType t, Pos p, const Tree* tr, int ln) : Node(t, p, tr), line(ln) {}
  std::string String() const override;
  int line;
  std::unique_ptr<PipeNode> pipe;
  std::unique_ptr<ListNode> list;
  std::unique_ptr<ListNode> else_list;  // null when absent
};

struct IfNode : BranchNode {
  IfNode(Pos p, const Tree* t, int ln) : BranchNode(NodeType::kIf, p, t, ln) {}
};
struct RangeNode : BranchNode {
  RangeNode(Pos p, const Tree* t, int ln) : BranchNode(NodeType::kRange, p, t, ln) {}
};
struct WithNode : BranchNode {
  WithNode(Pos p, const Tree* t, int ln) : BranchNode(NodeType::kWith, p, t, ln) {}
};

struct BreakNode : Node {
  BreakNode(Pos p, const Tree* t, int ln) : Node(NodeType::kBreak, p, t), line(ln) {}
  std::string String() const override;
  int line;
};

struct ContinueNode : Node {
  ContinueNode(Pos p, const Tree* t, int ln) : Node(NodeType::kContinue, p, t), line(ln) {}
  std::string String() const override;
  int line;
};

struct TemplateNode : Node {
  TemplateNode(Pos p, const Tree* t, int ln, std::string n)
      : Node(NodeType::kTemplate, p, t), line(ln), name(std::move(n)) {}
  std::string String() const override;
  int line;
  std::string name;                // unquoted
  std::unique_ptr<PipeNode> pipe;  // null when absent
};

// One template: `{{define "name"}}...{{end}}` or the top level of a file.
class Tree {
 public:
  Tree(std::string name, std::string parse_name, std::shared_ptr<const std::string> text)
      : name_(std::move(name)), parse_name_(std::move(parse_name)), text_(std::move(text)) {}

  const std::string& name() const { return name_; }
  // The name of the top-level template during parsing (the file), for errors.
  const std::string& parse_name() const { return parse_name_; }
  const std::string& text() const { return *text_; }
  const ListNode* root() const { return root_.get(); }

  // "PARSE_NAME:LINE:COL" for a node (COL is the 0-based byte offset in its
  // line, as Go prints it) and the node's text, shortened as Go shortens it.
  std::pair<std::string, std::string> ErrorContext(const Node& n) const;

  // Used by the parser only.
  void set_root(std::unique_ptr<ListNode> root) { root_ = std::move(root); }
  const std::shared_ptr<const std::string>& shared_text() const { return text_; }

 private:
  std::string name_;
  std::string parse_name_;
  std::shared_ptr<const std::string> text_;
  std::unique_ptr<ListNode> root_;
};

// True when the tree holds only whitespace text and comments (Go's IsEmptyTree).
bool IsEmptyTree(const Node* n);

// The templates one source defines: the top level under its name, plus one
// per {{define}} / {{block}}.
using TreeSet = std::map<std::string, std::shared_ptr<const Tree>, std::less<>>;

}  // namespace berth::tmpl
