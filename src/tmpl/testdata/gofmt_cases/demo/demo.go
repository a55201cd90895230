// Package demo holds types with methods fmt cares about; gofmt_test.cc
// declares the same types with the same hooks.
package demo

import "fmt"

// Color is a Stringer.
type Color int

func (c Color) String() string {
	switch c {
	case 0:
		return "red"
	case 1:
		return "green"
	case 2:
		return "blue"
	}
	return fmt.Sprintf("Color(%d)", int(c))
}

// Status is an error (value receiver).
type Status struct{ Code int }

func (s Status) Error() string { return fmt.Sprintf("status %d", s.Code) }

// Pt is a GoStringer.
type Pt struct{ X, Y int }

func (p Pt) GoString() string { return fmt.Sprintf("Pt(%d,%d)", p.X, p.Y) }

// Node is a Stringer through its pointer only.
type Node struct{ Name string }

func (n *Node) String() string { return "node:" + n.Name }

// Label is a string-kind Stringer.
type Label string

func (l Label) String() string { return "<" + string(l) + ">" }

// Inner has unexported fields, on which fmt cannot call methods.
type Inner struct {
	name string
	Tag  Label
	c    Color
}

func NewInner(name string, tag Label, c Color) Inner { return Inner{name, tag, c} }

// Holder has interface-typed fields.
type Holder struct {
	Any  interface{}
	Err  error
	Ptr  *Node
	List []interface{}
	M    map[string]string
}

// Raw is a named byte slice.
type Raw []byte
