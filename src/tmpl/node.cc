// Node printing (Go's String() / writeTo), Tree::ErrorContext and
// IsEmptyTree.  Node texts appear in execution errors ("at <.Foo>"), so they
// must match Go's byte for byte.

#include <algorithm>

#include "base/gostrconv.h"
#include "base/gounicode.h"
#include "tmpl/node.h"

namespace berth::tmpl {
namespace {

void Write(const Node& n, std::string* out);

void WritePipe(const PipeNode& p, std::string* out) {
  for (size_t i = 0; i < p.decl.size(); ++i) {
    if (i > 0) *out += ", ";
    Write(*p.decl[i], out);
  }
  // Go prints ":=" even for an assignment.
  if (!p.decl.empty()) *out += " := ";
  for (size_t i = 0; i < p.cmds.size(); ++i) {
    if (i > 0) *out += " | ";
    Write(*p.cmds[i], out);
  }
}

// A pipeline used as an argument or chained is printed in parentheses.
void WriteOperand(const Node& n, std::string* out) {
  if (n.type == NodeType::kPipe) {
    *out += '(';
    WritePipe(static_cast<const PipeNode&>(n), out);
    *out += ')';
  } else {
    Write(n, out);
  }
}

void WriteList(const ListNode& l, std::string* out) {
  for (const NodePtr& n : l.nodes) Write(*n, out);
}

void Write(const Node& n, std::string* out) {
  switch (n.type) {
    case NodeType::kList:
      WriteList(static_cast<const ListNode&>(n), out);
      return;
    case NodeType::kText:
      *out += static_cast<const TextNode&>(n).text;
      return;
    case NodeType::kComment:
      *out += "{{";
      *out += static_cast<const CommentNode&>(n).text;
      *out += "}}";
      return;
    case NodeType::kPipe:
      WritePipe(static_cast<const PipeNode&>(n), out);
      return;
    case NodeType::kAction:
      *out += "{{";
      WritePipe(*static_cast<const ActionNode&>(n).pipe, out);
      *out += "}}";
      return;
    case NodeType::kCommand: {
      const auto& c = static_cast<const CommandNode&>(n);
      for (size_t i = 0; i < c.args.size(); ++i) {
        if (i > 0) *out += ' ';
        WriteOperand(*c.args[i], out);
      }
      return;
    }
    case NodeType::kIdentifier:
      *out += static_cast<const IdentifierNode&>(n).ident;
      return;
    case NodeType::kVariable: {
      const auto& v = static_cast<const VariableNode&>(n);
      for (size_t i = 0; i < v.ident.size(); ++i) {
        if (i > 0) *out += '.';
        *out += v.ident[i];
      }
      return;
    }
    case NodeType::kDot:
      *out += '.';
      return;
    case NodeType::kNil:
      *out += "nil";
      return;
    case NodeType::kField:
      for (const std::string& id : static_cast<const FieldNode&>(n).ident) {
        *out += '.';
        *out += id;
      }
      return;
    case NodeType::kChain: {
      const auto& c = static_cast<const ChainNode&>(n);
      WriteOperand(*c.node, out);
      for (const std::string& f : c.field) {
        *out += '.';
        *out += f;
      }
      return;
    }
    case NodeType::kBool:
      *out += static_cast<const BoolNode&>(n).value ? "true" : "false";
      return;
    case NodeType::kNumber:
      *out += static_cast<const NumberNode&>(n).text;
      return;
    case NodeType::kString:
      *out += static_cast<const StringNode&>(n).quoted;
      return;
    case NodeType::kIf:
    case NodeType::kRange:
    case NodeType::kWith: {
      const auto& b = static_cast<const BranchNode&>(n);
      *out += n.type == NodeType::kIf      ? "{{if "
              : n.type == NodeType::kRange ? "{{range "
                                           : "{{with ";
      WritePipe(*b.pipe, out);
      *out += "}}";
      WriteList(*b.list, out);
      if (b.else_list) {
        *out += "{{else}}";
        WriteList(*b.else_list, out);
      }
      *out += "{{end}}";
      return;
    }
    case NodeType::kBreak:
      *out += "{{break}}";
      return;
    case NodeType::kContinue:
      *out += "{{continue}}";
      return;
    case NodeType::kTemplate: {
      const auto& t = static_cast<const TemplateNode&>(n);
      *out += "{{template ";
      gostrconv::AppendQuote(out, t.name);
      if (t.pipe) {
        *out += ' ';
        WritePipe(*t.pipe, out);
      }
      *out += "}}";
      return;
    }
  }
}

std::string Print(const Node& n) {
  std::string out;
  Write(n, &out);
  return out;
}

}  // namespace

std::string ListNode::String() const { return Print(*this); }
std::string TextNode::String() const { return text; }
std::string CommentNode::String() const { return Print(*this); }
std::string VariableNode::String() const { return Print(*this); }
std::string PipeNode::String() const { return Print(*this); }
std::string ActionNode::String() const { return Print(*this); }
std::string CommandNode::String() const { return Print(*this); }
std::string IdentifierNode::String() const { return ident; }
std::string DotNode::String() const { return "."; }
std::string NilNode::String() const { return "nil"; }
std::string FieldNode::String() const { return Print(*this); }
std::string ChainNode::String() const { return Print(*this); }
std::string BoolNode::String() const { return value ? "true" : "false"; }
std::string NumberNode::String() const { return text; }
std::string StringNode::String() const { return quoted; }
std::string BranchNode::String() const { return Print(*this); }
std::string BreakNode::String() const { return "{{break}}"; }
std::string ContinueNode::String() const { return "{{continue}}"; }
std::string TemplateNode::String() const { return Print(*this); }

// Go's Tree.ErrorContext: the node's own tree (if it has one) locates it;
// the context is the node's text, unshortened.
std::pair<std::string, std::string> Tree::ErrorContext(const Node& n) const {
  const Tree* tree = n.tree != nullptr ? n.tree : this;
  const std::string& text = tree->text();
  size_t pos = std::min(static_cast<size_t>(std::max<Pos>(n.pos, 0)), text.size());
  std::string_view before(text.data(), pos);
  size_t nl = before.rfind('\n');
  size_t col = nl == std::string_view::npos ? pos : pos - nl - 1;
  size_t line = 1 + std::count(before.begin(), before.end(), '\n');
  std::string location = tree->parse_name();
  location += ':';
  location += std::to_string(line);
  location += ':';
  location += std::to_string(col);
  return {std::move(location), n.String()};
}

bool IsEmptyTree(const Node* n) {
  if (n == nullptr) return true;
  switch (n->type) {
    case NodeType::kComment:
      return true;
    case NodeType::kList:
      for (const NodePtr& child : static_cast<const ListNode*>(n)->nodes) {
        if (!IsEmptyTree(child.get())) return false;
      }
      return true;
    case NodeType::kText: {
      // bytes.TrimSpace: Unicode white space; an invalid byte is not space.
      std::string_view s = static_cast<const TextNode*>(n)->text;
      while (!s.empty()) {
        gounicode::Decoded d = gounicode::DecodeRune(s);
        if (!gounicode::IsSpace(d.rune) || (d.rune == gounicode::kRuneError && d.size == 1)) {
          return false;
        }
        s.remove_prefix(d.size);
      }
      return true;
    }
    default:
      // Actions, if, range, with and template calls are content.  (Go panics
      // on the node types that cannot stand in a list.)
      return false;
  }
}

}  // namespace berth::tmpl
