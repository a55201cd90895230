// The executor: walks a parse tree against data, following Go 1.19's
// text/template/exec.go step for step (same order of checks, same errors), so
// that every template confd renders renders the same here.
//
// Differences from Go's structure, all internal: errors unwind by a private
// exception caught once in Execute; {{break}}/{{continue}} travel as a return
// value (Flow) instead of a panic; Go's "missing final argument" sentinel is a
// null pointer.
#include <pthread.h>

#include <array>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "base/gostrconv.h"
#include "tmpl/builtins.h"
#include "tmpl/gofmt.h"
#include "tmpl/parse.h"
#include "tmpl/template.h"

namespace berth::tmpl {
namespace {

// Go's maxExecDepth: the deepest chain of {{template}} calls.
constexpr int kMaxExecDepth = 100000;
// Stop recursing when less than this much stack is left (see StackLimit).
constexpr uintptr_t kStackReserve = 256 * 1024;

struct ExecError {
  std::string message;
};

enum class Flow { kNormal, kBreak, kContinue };

struct Variable {
  std::string_view name;
  Value value;
};

// The lowest usable stack address of the calling thread, so that runaway
// recursion becomes an error rather than a crash even on a small stack.
uintptr_t StackLimit() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return 0;
  void* addr = nullptr;
  size_t size = 0;
  pthread_attr_getstack(&attr, &addr, &size);
  pthread_attr_destroy(&attr);
  return reinterpret_cast<uintptr_t>(addr) + kStackReserve;
}

std::string QuoteGo(std::string_view s) { return gostrconv::Quote(s); }

bool CanBeNil(const Type* t) {
  switch (t->Underlying()->kind) {
    case Kind::kSlice:
    case Kind::kMap:
    case Kind::kPointer:
    case Kind::kInterface:
      return true;
    default:
      return false;
  }
}

// reflect.Zero(t) for the types CanBeNil accepts.
Value ZeroOf(const Type* t) {
  if (t->kind == Kind::kInterface) return Value();  // nil interface / invalid reflect.Value
  return Value::Nil(t);
}

// indirect(): follows pointers; reports a nil pointer.
std::pair<Value, bool> Indirect(Value v) {
  while (v.kind() == Kind::kPointer) {
    if (v.is_nil()) return {v, true};
    Value next = v.Elem();
    v = std::move(next);
  }
  return {v, false};
}

// An element read out of a container: a nil in an interface{}-typed slot is
// a nil interface value, not "no value".
Value Element(const Value& v, const Type* elem_type) {
  if (!v.valid() && elem_type != nullptr && elem_type->kind == Kind::kInterface) {
    return Value::NilInterface();
  }
  return v;
}

bool IsHexInt(std::string_view s) {
  return s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
         s.find_first_of("pP") == std::string_view::npos;
}

// Call arguments: on the stack for the usual handful, on the heap beyond.
class ArgVector {
 public:
  explicit ArgVector(size_t capacity) {
    if (capacity > kInline) heap_.reserve(capacity);
  }
  void push_back(Value v) {
    if (heap_.capacity() > 0) {
      heap_.push_back(std::move(v));
    } else {
      inline_[size_++] = std::move(v);
    }
  }
  std::span<const Value> span() const {
    if (heap_.capacity() > 0) return heap_;
    return std::span<const Value>(inline_.data(), size_);
  }

 private:
  static constexpr size_t kInline = 4;
  std::array<Value, kInline> inline_;
  size_t size_ = 0;
  std::vector<Value> heap_;
};

class State {
 public:
  State(const Template* set, const Tree* tree, std::string* out, const FuncMap* funcs,
        uintptr_t stack_limit, int depth, const ExecLimits* limits, uint64_t* steps)
      : set_(set),
        tree_(tree),
        out_(out),
        funcs_(funcs),
        stack_limit_(stack_limit),
        depth_(depth),
        limits_(limits),
        steps_(steps),
        out_start_(out->size()) {}

  void Run(const Value& dot) {
    vars_.push_back({"$", dot});
    Walk(dot, tree_->root());
  }

 private:
  // ---- errors ----

  void At(const Node* n) { node_ = n; }

  [[noreturn]] void Fail(const std::string& msg) {
    std::string full = "template: ";
    if (node_ == nullptr) {
      full += tree_->name() + ": " + msg;
    } else {
      auto [location, context] = node_->tree->ErrorContext(*node_);
      full += location + ": executing " + QuoteGo(tree_->name()) + " at <" + context + ">: " + msg;
    }
    throw ExecError{std::move(full)};
  }

  std::string Describe(const Value& v) {
    Value args[] = {v};
    return GoSprint(args);
  }

  // ---- variables ----

  size_t Mark() const { return vars_.size(); }
  void Pop(size_t mark) { vars_.resize(mark); }
  void Push(std::string_view name, Value v) { vars_.push_back({name, std::move(v)}); }

  void SetVar(std::string_view name, Value v) {
    for (size_t i = vars_.size(); i-- > 0;) {
      if (vars_[i].name == name) {
        vars_[i].value = std::move(v);
        return;
      }
    }
    Fail("undefined variable: " + std::string(name));
  }

  void SetTopVar(size_t n, Value v) { vars_[vars_.size() - n].value = std::move(v); }

  const Value& VarValue(std::string_view name) {
    for (size_t i = vars_.size(); i-- > 0;) {
      if (vars_[i].name == name) return vars_[i].value;
    }
    Fail("undefined variable: " + std::string(name));
  }

  // ---- walking ----

  Flow Walk(const Value& dot, const Node* node) {
    At(node);
    if (limits_->max_steps != 0 && ++*steps_ > limits_->max_steps) {
      Fail("execution exceeded " + std::to_string(limits_->max_steps) + " steps");
    }
    if (limits_->max_output != 0 && out_->size() - out_start_ > limits_->max_output) {
      Fail("output exceeded " + std::to_string(limits_->max_output) + " bytes");
    }
    switch (node->type) {
      case NodeType::kAction: {
        const auto* n = static_cast<const ActionNode*>(node);
        // Variables declared by the action persist until the enclosing {{end}}.
        Value val = EvalPipeline(dot, n->pipe.get());
        if (n->pipe->decl.empty()) PrintValue(node, val);
        return Flow::kNormal;
      }
      case NodeType::kBreak:
        return Flow::kBreak;
      case NodeType::kContinue:
        return Flow::kContinue;
      case NodeType::kComment:
        return Flow::kNormal;
      case NodeType::kIf:
      case NodeType::kWith:
        return WalkIfOrWith(dot, static_cast<const BranchNode*>(node));
      case NodeType::kList:
        for (const auto& child : static_cast<const ListNode*>(node)->nodes) {
          Flow f = Walk(dot, child.get());
          if (f != Flow::kNormal) return f;
        }
        return Flow::kNormal;
      case NodeType::kRange:
        return WalkRange(dot, static_cast<const RangeNode*>(node));
      case NodeType::kTemplate:
        WalkTemplate(dot, static_cast<const TemplateNode*>(node));
        return Flow::kNormal;
      case NodeType::kText:
        out_->append(static_cast<const TextNode*>(node)->text);
        return Flow::kNormal;
      default:
        Fail("unknown node: " + node->String());
    }
  }

  Flow WalkIfOrWith(const Value& dot, const BranchNode* n) {
    const size_t mark = Mark();
    Value val = EvalPipeline(dot, n->pipe.get());
    Truth t = IsTrue(val);
    if (!t.ok) Fail("if/with can't use " + Describe(val));
    Flow flow = Flow::kNormal;
    if (t.truth) {
      flow = Walk(n->type == NodeType::kWith ? val : dot, n->list.get());
    } else if (n->else_list) {
      flow = Walk(dot, n->else_list.get());
    }
    Pop(mark);
    return flow;
  }

  Flow WalkRange(const Value& dot, const RangeNode* r) {
    At(r);
    const size_t outer_mark = Mark();
    Value val = Indirect(EvalPipeline(dot, r->pipe.get())).first;
    // Variables of the body are pushed above this mark.
    const size_t mark = Mark();
    const size_t ndecl = r->pipe->decl.size();
    Flow result = Flow::kNormal;
    auto one_iteration = [&](Value index, const Value& elem) -> bool {
      if (ndecl > 0) SetTopVar(1, elem);
      if (ndecl > 1) SetTopVar(2, std::move(index));
      Flow f = Walk(elem, r->list.get());
      Pop(mark);
      return f != Flow::kBreak;  // continue and normal both go on
    };
    bool iterated = false;
    switch (val.kind()) {
      case Kind::kSlice:
        if (val.len() == 0) break;
        iterated = true;
        for (size_t i = 0; i < val.len(); ++i) {
          // Go's elements alias the array (an in-place reverse shows).
          if (!one_iteration(Value::Int(static_cast<int64_t>(i)), val.Slot(i))) {
            break;
          }
        }
        break;
      case Kind::kMap:
        if (val.len() == 0) break;
        iterated = true;
        for (const auto& [key, elem] : val.map_entries()) {
          if (!one_iteration(Value::OfString(val.type()->key, key),
                             Element(elem, val.type()->elem))) {
            break;
          }
        }
        break;
      case Kind::kInvalid:
        break;  // a nil value acts like an empty collection
      default:
        Fail("range can't iterate over " + Describe(val));
    }
    if (!iterated && r->else_list) {
      // Go recovers a {{break}} here but lets a {{continue}} reach the
      // enclosing range.
      if (Walk(dot, r->else_list.get()) == Flow::kContinue) result = Flow::kContinue;
    }
    Pop(outer_mark);
    return result;
  }

  void WalkTemplate(const Value& dot, const TemplateNode* t) {
    At(t);
    const Tree* tree = set_->Lookup(t->name);
    if (tree == nullptr) Fail("template " + QuoteGo(t->name) + " not defined");
    if (depth_ == kMaxExecDepth) {
      Fail("exceeded maximum template depth (" + std::to_string(kMaxExecDepth) + ")");
    }
    // The frame address, not a local's: sanitizers may keep locals off the stack.
    if (reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) < stack_limit_) {
      Fail("exceeded maximum template depth: out of stack at depth " + std::to_string(depth_));
    }
    // Variables declared by the pipeline persist in the caller.
    Value new_dot = EvalPipeline(dot, t->pipe.get());
    State callee(set_, tree, out_, funcs_, stack_limit_, depth_ + 1, limits_, steps_);
    callee.Run(new_dot);
  }

  // ---- evaluation ----

  Value EvalPipeline(const Value& dot, const PipeNode* pipe) {
    if (pipe == nullptr) return Value();
    At(pipe);
    Value value;
    bool have_final = false;
    for (const auto& cmd : pipe->cmds) {
      Value final_arg = std::move(value);
      value = EvalCommand(dot, cmd.get(), have_final ? &final_arg : nullptr);
      // Go digs into an interface{} value: a nil one becomes invalid.
      if (value.kind() == Kind::kInterface) value = Value();
      have_final = true;
    }
    for (const auto& var : pipe->decl) {
      if (pipe->is_assign) {
        SetVar(var->ident[0], value);
      } else {
        Push(var->ident[0], value);
      }
    }
    return value;
  }

  void NotAFunction(const std::vector<NodePtr>& args, const Value* final_arg) {
    if (args.size() > 1 || final_arg != nullptr) {
      Fail("can't give argument to non-function " + args[0]->String());
    }
  }

  Value EvalCommand(const Value& dot, const CommandNode* cmd, const Value* final_arg) {
    const Node* first = cmd->args[0].get();
    switch (first->type) {
      case NodeType::kField:
        return EvalFieldNode(dot, static_cast<const FieldNode*>(first), &cmd->args, final_arg);
      case NodeType::kChain:
        return EvalChainNode(dot, static_cast<const ChainNode*>(first), &cmd->args, final_arg);
      case NodeType::kIdentifier:
        return EvalFunction(dot, static_cast<const IdentifierNode*>(first), cmd, &cmd->args,
                            final_arg);
      case NodeType::kPipe:
        // A parenthesized pipeline: its arguments are inside it.
        NotAFunction(cmd->args, final_arg);
        return EvalPipeline(dot, static_cast<const PipeNode*>(first));
      case NodeType::kVariable:
        return EvalVariableNode(dot, static_cast<const VariableNode*>(first), &cmd->args,
                                final_arg);
      default:
        break;
    }
    At(first);
    NotAFunction(cmd->args, final_arg);
    switch (first->type) {
      case NodeType::kBool:
        return Value::Bool(static_cast<const BoolNode*>(first)->value);
      case NodeType::kDot:
        return dot;
      case NodeType::kNil:
        Fail("nil is not a command");
      case NodeType::kNumber:
        return IdealConstant(static_cast<const NumberNode*>(first));
      case NodeType::kString:
        return static_cast<const StringNode*>(first)->value;
      default:
        Fail("can't evaluate command " + QuoteGo(first->String()));
    }
  }

  // A number whose type only its syntax can tell.
  Value IdealConstant(const NumberNode* c) {
    At(c);
    const std::string& text = c->text;
    if (c->is_complex) return Value::Complex(c->complex128);
    if (c->is_float && !IsHexInt(text) && !(!text.empty() && text[0] == '\'') &&
        text.find_first_of(".eEpP") != std::string::npos) {
      return Value::Float(c->float64);
    }
    if (c->is_int) return Value::Int(c->int64);
    if (c->is_uint) Fail(text + " overflows int");
    return Value();
  }

  Value EvalFieldNode(const Value& dot, const FieldNode* field, const std::vector<NodePtr>* args,
                      const Value* final_arg) {
    At(field);
    return EvalFieldChain(dot, dot, field, field->ident, args, final_arg);
  }

  Value EvalChainNode(const Value& dot, const ChainNode* chain, const std::vector<NodePtr>* args,
                      const Value* final_arg) {
    At(chain);
    if (chain->field.empty()) Fail("internal error: no fields in evalChainNode");
    if (chain->node->type == NodeType::kNil) {
      Fail("indirection through explicit nil in " + chain->String());
    }
    // (pipe).Field1.Field2: evaluate the pipe, then walk the fields.
    Value pipe = EvalArg(dot, nullptr, chain->node.get());
    return EvalFieldChain(dot, pipe, chain, chain->field, args, final_arg);
  }

  Value EvalVariableNode(const Value& dot, const VariableNode* var,
                         const std::vector<NodePtr>* args, const Value* final_arg) {
    At(var);
    Value value = VarValue(var->ident[0]);
    if (var->ident.size() == 1) {
      if (args != nullptr)
        NotAFunction(*args, final_arg);
      else if (final_arg != nullptr)
        Fail("can't give argument to non-function " + var->String());
      return value;
    }
    std::vector<std::string> rest(var->ident.begin() + 1, var->ident.end());
    return EvalFieldChain(dot, value, var, rest, args, final_arg);
  }

  // .X.Y.Z, possibly followed by arguments for the last element.  `dot` is
  // where arguments are evaluated; `receiver` walks along the chain.
  Value EvalFieldChain(const Value& dot, Value receiver, const Node* node,
                       const std::vector<std::string>& ident, const std::vector<NodePtr>* args,
                       const Value* final_arg) {
    const size_t n = ident.size();
    for (size_t i = 0; i + 1 < n; ++i) {
      receiver = EvalField(dot, ident[i], node, nullptr, nullptr, receiver);
    }
    return EvalField(dot, ident[n - 1], node, args, final_arg, receiver);
  }

  Value EvalFunction(const Value& dot, const IdentifierNode* node, const Node* cmd,
                     const std::vector<NodePtr>* args, const Value* final_arg) {
    At(node);
    const std::string& name = node->ident;
    const ResolvedFunc& f = Resolve(node);
    if (f.fn == nullptr) Fail(QuoteGo(name) + " is not a defined function");
    return EvalCall(dot, *f.fn, nullptr, f.is_builtin, cmd, name, args, final_arg);
  }

  struct ResolvedFunc {
    const IdentifierNode* node;
    const Func* fn;
    bool is_builtin;
  };

  // findFunction, remembered per call site: a template names few functions
  // but calls them once per element of a range.
  const ResolvedFunc& Resolve(const IdentifierNode* node) {
    for (const ResolvedFunc& r : resolved_) {
      if (r.node == node) return r;
    }
    ResolvedFunc r{node, nullptr, false};
    if (auto it = funcs_->find(node->ident); it != funcs_->end()) {
      r.fn = &it->second;
    } else if ((r.fn = FindBuiltin(node->ident)) != nullptr) {
      r.is_builtin = true;
    }
    resolved_.push_back(r);
    return resolved_.back();
  }

  // (.Field) or (.Method arg1 arg2).  `final_arg` is the value of the
  // preceding command of the pipeline, if any.
  Value EvalField(const Value& dot, const std::string& field_name, const Node* node,
                  const std::vector<NodePtr>* args, const Value* final_arg,
                  const Value& receiver_any) {
    const Value& receiver_in = receiver_any.Current();
    if (!receiver_in.valid()) return Value();  // missingkey=default
    const Type* typ = receiver_in.type();
    if (receiver_in.kind() == Kind::kInterface) {
      Fail("nil pointer evaluating " + std::string(typ->name) + "." + field_name);
    }
    Value followed;
    bool is_nil = false;
    if (receiver_in.kind() == Kind::kPointer) std::tie(followed, is_nil) = Indirect(receiver_in);
    const Value& receiver = receiver_in.kind() == Kind::kPointer ? followed : receiver_in;
    // Methods declared on the value's own type (for *T: pointer-receiver
    // methods) receive it as is; methods of the pointed-to type receive the
    // pointee.
    const Method* method = typ->FindMethod(field_name);
    const Value* method_receiver = &receiver_in;
    if (method == nullptr && receiver.type() != typ) {
      method = receiver.type()->FindMethod(field_name);
      method_receiver = &receiver;
    }
    if (method != nullptr) {
      return EvalCall(dot, method->func, method_receiver, false, node, field_name, args, final_arg);
    }
    const bool has_args = (args != nullptr && args->size() > 1) || final_arg != nullptr;
    switch (receiver.kind()) {
      case Kind::kStruct: {
        const auto& fields = receiver.type()->fields;
        for (size_t i = 0; i < fields.size(); ++i) {
          if (fields[i].name != field_name) continue;
          if (!fields[i].exported) {
            Fail(field_name + " is an unexported field of struct type " + std::string(typ->name));
          }
          if (has_args) Fail(field_name + " has arguments but cannot be invoked as function");
          return receiver.field(i);
        }
        break;
      }
      case Kind::kMap: {
        // Map keys are strings in every map a template can meet.
        if (has_args) Fail(field_name + " is not a method but has arguments");
        const Value* found = receiver.MapFind(field_name);
        return found ? Element(*found, receiver.type()->elem) : Value();
      }
      case Kind::kPointer: {
        const Type* etyp = receiver.type()->elem;
        if (etyp != nullptr && etyp->kind == Kind::kStruct) {
          bool has_field = false;
          for (const auto& f : etyp->fields) has_field |= f.name == field_name;
          if (!has_field) break;
        }
        if (is_nil) Fail("nil pointer evaluating " + std::string(typ->name) + "." + field_name);
        break;
      }
      default:
        break;
    }
    Fail("can't evaluate field " + field_name + " in type " + std::string(typ->name));
  }

  // Calls a function or, with `receiver`, a method.  `args`, when set, holds
  // the command's words with the function name first.
  Value EvalCall(const Value& dot, const Func& fun, const Value* receiver, bool is_builtin,
                 const Node* node, const std::string& name, const std::vector<NodePtr>* args_in,
                 const Value* final_arg) {
    const NodePtr* args = nullptr;
    size_t nargs = 0;
    if (args_in != nullptr && !args_in->empty()) {
      args = args_in->data() + 1;  // the zeroth word is the function itself
      nargs = args_in->size() - 1;
    }
    const Signature& sig = fun.sig;
    const size_t nparams = sig.params.size();
    const size_t num_in = nargs + (final_arg ? 1 : 0);
    size_t num_fixed = nargs;
    if (sig.variadic) {
      num_fixed = nparams - 1;
      if (num_in < num_fixed) {
        Fail("wrong number of args for " + name + ": want at least " + std::to_string(nparams - 1) +
             " got " + std::to_string(nargs));
      }
    } else if (num_in != nparams) {
      Fail("wrong number of args for " + name + ": want " + std::to_string(nparams) + " got " +
           std::to_string(num_in));
    }
    if (sig.result == nullptr) {
      Fail("can't call method/function " + QuoteGo(name) + " with 0 results");
    }

    // and/or short-circuit and return the deciding operand.
    if (is_builtin && (name == "and" || name == "or")) {
      const bool is_or = name == "or";
      Value v;
      for (size_t i = 0; i < nargs; ++i) {
        v = EvalArg(dot, sig.params[0], args[i].get());
        if (IsTrue(v).truth == is_or) return v;
      }
      if (final_arg != nullptr) v = ValidateType(*final_arg, sig.params[0]);
      return v;
    }

    ArgVector argv(num_in + 1);
    if (receiver != nullptr) argv.push_back(receiver->Detached());
    size_t i = 0;
    for (; i < num_fixed && i < nargs; ++i)
      argv.push_back(EvalArg(dot, sig.params[i], args[i].get()));
    if (sig.variadic) {
      const Type* elem = sig.params.back();
      for (; i < nargs; ++i) argv.push_back(EvalArg(dot, elem, args[i].get()));
    }
    if (final_arg != nullptr) {
      const Type* t = sig.params.back();
      if (sig.variadic && num_in - 1 < num_fixed) t = sig.params[num_in - 1];
      argv.push_back(ValidateType(*final_arg, t));
    }
    Result<Value> result = fun.fn(argv.span());
    if (!result) {
      At(node);
      Fail("error calling " + name + ": " + result.error().message());
    }
    return std::move(*result);
  }

  // Go's validateType: the value is valid and assignable to the type.
  Value ValidateType(const Value& value, const Type* typ) {
    if (!value.valid()) {
      if (typ == nullptr) return Value();
      if (CanBeNil(typ)) return ZeroOf(typ);
      Fail("invalid value; expected " + std::string(typ->name));
    }
    if (typ == nullptr) return value;
    if (typ == types::ReflectValue()) return value.Detached();
    if (value.kind() == Kind::kInterface) {
      // A nil interface{}: fine for interface{} parameters (as nil).
      if (typ->kind == Kind::kInterface) return Value();
      Fail("wrong type for value; expected " + std::string(typ->name) + "; got interface {}");
    }
    if (!AssignableTo(value.type(), typ)) {
      // One dereference may do.
      if (value.kind() == Kind::kPointer && value.type()->elem != nullptr &&
          AssignableTo(value.type()->elem, typ)) {
        if (value.is_nil()) Fail("dereference of nil pointer of type " + std::string(typ->name));
        return value.Elem();
      }
      Fail("wrong type for value; expected " + std::string(typ->name) + "; got " +
           std::string(value.type()->name));
    }
    // Go converts an assignable argument to the parameter's type; the
    // function gets the value as it is now.
    if (typ->kind != Kind::kInterface && value.type() != typ) return value.Retyped(typ);
    return value.Detached();
  }

  Value EvalArg(const Value& dot, const Type* typ, const Node* n) {
    At(n);
    switch (n->type) {
      case NodeType::kDot:
        return ValidateType(dot, typ);
      case NodeType::kNil:
        if (typ != nullptr && CanBeNil(typ)) return ZeroOf(typ);
        Fail("cannot assign nil to " + std::string(typ ? typ->name : "<nil>"));
      case NodeType::kField: {
        static const std::vector<NodePtr> kNoArgs;
        return ValidateType(EvalFieldNode(dot, static_cast<const FieldNode*>(n), &kNoArgs, nullptr),
                            typ);
      }
      case NodeType::kVariable:
        return ValidateType(
            EvalVariableNode(dot, static_cast<const VariableNode*>(n), nullptr, nullptr), typ);
      case NodeType::kPipe:
        return ValidateType(EvalPipeline(dot, static_cast<const PipeNode*>(n)), typ);
      case NodeType::kIdentifier:
        return ValidateType(
            EvalFunction(dot, static_cast<const IdentifierNode*>(n), n, nullptr, nullptr), typ);
      case NodeType::kChain:
        return ValidateType(EvalChainNode(dot, static_cast<const ChainNode*>(n), nullptr, nullptr),
                            typ);
      default:
        break;
    }
    if (typ == nullptr) Fail("can't handle " + n->String() + " for arg of type <nil>");
    const Kind k = typ->kind;
    if (k == Kind::kBool) {
      if (n->type == NodeType::kBool) {
        return Value::OfBool(typ, static_cast<const BoolNode*>(n)->value);
      }
      Fail("expected bool; found " + n->String());
    }
    if (k == Kind::kComplex128) {
      if (n->type == NodeType::kNumber && static_cast<const NumberNode*>(n)->is_complex) {
        return Value::Complex(static_cast<const NumberNode*>(n)->complex128);
      }
      Fail("expected complex; found " + n->String());
    }
    if (k == Kind::kFloat64) {
      if (n->type == NodeType::kNumber && static_cast<const NumberNode*>(n)->is_float) {
        return Value::OfFloat(typ, static_cast<const NumberNode*>(n)->float64);
      }
      Fail("expected float; found " + n->String());
    }
    if (IsSignedIntKind(k)) {
      if (n->type == NodeType::kNumber && static_cast<const NumberNode*>(n)->is_int) {
        int64_t v = static_cast<const NumberNode*>(n)->int64;
        if (k == Kind::kInt32) v = static_cast<int32_t>(v);  // reflect's SetInt truncates
        return Value::OfInt(typ, v);
      }
      Fail("expected integer; found " + n->String());
    }
    if (k == Kind::kInterface) return EvalEmptyInterface(n);
    if (k == Kind::kString) {
      if (n->type == NodeType::kString) {
        const auto* s = static_cast<const StringNode*>(n);
        return typ == types::String() ? s->value : Value::OfString(typ, s->text);
      }
      Fail("expected string; found " + n->String());
    }
    if (IsUnsignedIntKind(k)) {
      if (n->type == NodeType::kNumber && static_cast<const NumberNode*>(n)->is_uint) {
        uint64_t v = static_cast<const NumberNode*>(n)->uint64;
        if (k == Kind::kUint8) v = static_cast<uint8_t>(v);
        if (k == Kind::kUint16) v = static_cast<uint16_t>(v);
        if (k == Kind::kUint32) v = static_cast<uint32_t>(v);
        return Value::OfUint(typ, v);
      }
      Fail("expected unsigned integer; found " + n->String());
    }
    Fail("can't handle " + n->String() + " for arg of type " + std::string(typ->name));
  }

  Value EvalEmptyInterface(const Node* n) {
    At(n);
    switch (n->type) {
      case NodeType::kBool:
        return Value::Bool(static_cast<const BoolNode*>(n)->value);
      case NodeType::kNumber:
        return IdealConstant(static_cast<const NumberNode*>(n));
      case NodeType::kString:
        return static_cast<const StringNode*>(n)->value;
      default:
        // Dot, fields, variables, pipes and calls are handled by EvalArg.
        Fail("can't handle assignment of " + n->String() + " to empty interface argument");
    }
  }

  void PrintValue(const Node* n, const Value& v) {
    At(n);
    if (!v.valid()) {
      out_->append("<no value>");
      return;
    }
    if (v.kind() == Kind::kString && v.type()->stringer == nullptr) {
      out_->append(v.string_value());
      return;
    }
    const Value printable = PrintableValue(v);
    if (printable.kind() == Kind::kString && printable.type()->stringer == nullptr) {
      out_->append(printable.string_value());
      return;
    }
    Value args[] = {printable};
    GoAppendSprint(out_, args);
  }

  const Template* set_;
  const Tree* tree_;
  std::string* out_;
  const FuncMap* funcs_;
  const uintptr_t stack_limit_;
  const int depth_;
  const ExecLimits* const limits_;
  uint64_t* const steps_;  // shared with nested template calls
  const size_t out_start_;
  const Node* node_ = nullptr;
  std::vector<Variable> vars_;
  std::vector<ResolvedFunc> resolved_;
};

}  // namespace

Truth IsTrue(const Value& v) {
  switch (v.kind()) {
    case Kind::kInvalid:
      return {false, true};
    case Kind::kString:
    case Kind::kSlice:
    case Kind::kMap:
      return {v.len() > 0, true};
    case Kind::kBool:
      return {v.bool_value(), true};
    case Kind::kComplex128:
      return {v.complex_value() != std::complex<double>(0, 0), true};
    case Kind::kPointer:
      return {!v.is_nil(), true};
    case Kind::kInt:
    case Kind::kInt32:
    case Kind::kInt64:
      return {v.int_value() != 0, true};
    case Kind::kFloat64:
      return {v.float_value() != 0, true};
    case Kind::kUint8:
    case Kind::kUint16:
    case Kind::kUint32:
    case Kind::kUint64:
      return {v.uint_value() != 0, true};
    case Kind::kStruct:
      return {true, true};
    case Kind::kInterface:
      return {false, true};  // a nil interface{}
  }
  return {false, false};
}

Result<std::shared_ptr<const Template>> Template::Parse(std::string name, std::string text,
                                                        const FuncMap& funcs,
                                                        const Options& options) {
  ParseOptions po;
  po.left_delim = options.left_delim;
  po.right_delim = options.right_delim;
  po.has_function = [&funcs](std::string_view fn) {
    return funcs.find(fn) != funcs.end() || IsBuiltinFunction(fn);
  };
  auto trees = tmpl::Parse(name, std::move(text), po);
  if (!trees) return Err(trees.error());
  return std::shared_ptr<const Template>(new Template(std::move(name), std::move(*trees)));
}

const Tree* Template::Lookup(std::string_view name) const {
  auto it = trees_.find(name);
  return it == trees_.end() ? nullptr : it->second.get();
}

Status Template::Execute(std::string* out, const Value& data, const FuncMap& funcs,
                         const ExecLimits& limits) const {
  return ExecuteTemplate(out, name_, data, funcs, limits);
}

Status Template::ExecuteTemplate(std::string* out, std::string_view name, const Value& data,
                                 const FuncMap& funcs, const ExecLimits& limits) const {
  const Tree* tree = Lookup(name);
  if (tree == nullptr) {
    return Status::InvalidArgument("template: no template " + QuoteGo(name) +
                                   " associated with template " + QuoteGo(name_));
  }
  if (tree->root() == nullptr) {
    return Status::InvalidArgument("template: " + std::string(name) + ": " + QuoteGo(name) +
                                   " is an incomplete or empty template");
  }
  try {
    uint64_t steps = 0;
    State state(this, tree, out, &funcs, StackLimit(), 0, &limits, &steps);
    state.Run(data);
  } catch (const ExecError& e) {
    return Status::InvalidArgument(e.message);
  }
  return Status::Ok();
}

}  // namespace berth::tmpl
