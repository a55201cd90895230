// gen-exec-cases runs the executor test table through Go 1.19's text/template
// and writes what Go produced as src/tmpl/testdata/exec_cases.inc, the
// expectations of src/tmpl/exec_test.cc.  The data below must stay identical
// to MakeTestData() in exec_test.cc.
//
//	go run scripts/gen-exec-cases.go > src/tmpl/testdata/exec_cases.inc
package main

import (
	"fmt"
	"strings"
	"text/template"
)

type S struct {
	Name   string
	Count  int
	hidden int
}

func (s S) Double(x int) int { return 2 * x }
func (s S) Greeting() string  { return "hi " + s.Name }

func data() map[string]interface{} {
	return map[string]interface{}{
		"str":      "hello",
		"int":      7,
		"neg":      -3,
		"flt":      2.5,
		"t":        true,
		"f":        false,
		"nil":      nil,
		"empty":    "",
		"list":     []string{"a", "b", "c"},
		"ints":     []int{1, 2, 3},
		"ilist":    []interface{}{1, "x", nil},
		"m":        map[string]interface{}{"a": 1, "b": "two"},
		"sm":       map[string]string{"k": "v"},
		"elist":    []string{},
		"nilslice": []int(nil),
		"nested":   map[string]interface{}{"inner": map[string]interface{}{"v": "deep"}},
		"s":        S{Name: "berth", Count: 2, hidden: 1},
		"sp":       &S{Name: "ptr", Count: 5},
	}
}

var cases = []struct{ name, tmpl string }{
	// text and actions
	{"empty", ""},
	{"text", "some text"},
	{"str", "{{.str}}"},
	{"int", "{{.int}}"},
	{"float", "{{.flt}}"},
	{"bool", "{{.t}} {{.f}}"},
	{"nil value", "{{.nil}}"},
	{"missing", "{{.nope}}"},
	{"missing chain", "{{.nope.deeper}}"},
	{"list", "{{.list}}"},
	{"map", "{{.m}}"},
	{"struct", "{{.s}}"},
	{"pointer", "{{.sp}}"},
	{"struct field", "{{.s.Name}} {{.s.Count}}"},
	{"pointer field", "{{.sp.Name}}"},
	{"method", "{{.s.Greeting}} {{.s.Double 21}}"},
	{"method via pipe", "{{21 | .s.Double}}"},
	{"nested map", "{{.nested.inner.v}}"},
	{"dot", "{{.m}} {{.sm}} {{.ilist}} {{.nested}}"},
	{"trim", "a  {{- 1 -}}  b\n {{- 2}}"},
	{"comment", "a{{/* c */}}b{{- /* c */ -}} c"},
	// literals
	{"literals", "{{1}} {{1.5}} {{1e3}} {{0x10}} {{'a'}} {{\"s\"}} {{`r`}} {{true}} {{1i}}"},
	{"negative", "{{-3}} {{+3}} {{-1.5}}"},
	{"big float", "{{1234567.0}} {{100000.0}} {{0.0001}} {{0.00001}}"},
	// variables
	{"declare", "{{$x := 1}}{{$x}}"},
	{"assign", "{{$x := 1}}{{$x = 2}}{{$x}}"},
	{"dollar", "{{$.str}}"},
	{"scope", "{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}"},
	{"assign in if", "{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}"},
	{"var field", "{{$s := .s}}{{$s.Name}}"},
	// pipelines
	{"pipe", "{{.str | printf \"%s!\"}}"},
	{"pipe chain", "{{1 | printf \"%d\" | printf \"<%s>\"}}"},
	{"parens", "{{printf \"%d-%d\" (len .list) (index .ints 2)}}"},
	{"paren field", "{{(.s).Name}}"},
	// if / with
	{"if", "{{if .t}}yes{{end}}"},
	{"if else", "{{if .f}}yes{{else}}no{{end}}"},
	{"else if", "{{if .f}}a{{else if .t}}b{{else}}c{{end}}"},
	{"if empty", "{{if .empty}}y{{else}}n{{end}}{{if .elist}}y{{else}}n{{end}}{{if .nilslice}}y{{else}}n{{end}}"},
	{"if struct", "{{if .s}}y{{end}}"},
	{"if nil", "{{if .nil}}y{{else}}n{{end}}"},
	{"with", "{{with .s}}{{.Name}}{{end}}"},
	{"with else", "{{with .empty}}x{{else}}none{{end}}"},
	{"with var", "{{with $x := .str}}{{$x}}{{.}}{{end}}"},
	// range
	{"range", "{{range .list}}[{{.}}]{{end}}"},
	{"range index", "{{range $i, $v := .list}}{{$i}}={{$v}} {{end}}"},
	{"range map", "{{range $k, $v := .m}}{{$k}}:{{$v}} {{end}}"},
	{"range else", "{{range .elist}}x{{else}}empty{{end}}"},
	{"range nil", "{{range .nope}}x{{else}}nothing{{end}}"},
	{"range break", "{{range .ints}}{{if eq . 2}}{{break}}{{end}}{{.}}{{end}}"},
	{"range continue", "{{range .ints}}{{if eq . 2}}{{continue}}{{end}}{{.}}{{end}}"},
	{"range nested", "{{range $a := .ints}}{{range $.list}}{{$a}}{{.}}{{end}};{{end}}"},
	{"range ilist", "{{range .ilist}}<{{.}}>{{end}}"},
	{"range var", "{{range $v := .list}}{{$v}}{{end}}"},
	{"range int", "{{range .int}}{{end}}"},
	{"range string", "{{range .str}}{{end}}"},
	// templates
	{"define", "{{define \"T\"}}[{{.}}]{{end}}{{template \"T\" .str}}"},
	{"template nil", "{{define \"T\"}}[{{.}}]{{end}}{{template \"T\"}}"},
	{"block", "{{block \"B\" .int}}<{{.}}>{{end}}"},
	{"template dollar", "{{define \"T\"}}{{$}}{{end}}{{template \"T\" 5}}"},
	{"undefined template", "{{template \"nope\"}}"},
	{"recursion", "{{define \"R\"}}{{if gt . 0}}{{.}}{{template \"R\" (add1 .)}}{{end}}{{end}}"},
	// logic
	{"and", "{{and 1 0 2}} {{and 1 2}} {{and .t .str}}"},
	{"or", "{{or 0 \"\" 3}} {{or 0 \"\"}} {{or .nil .str}}"},
	{"and short circuit", "{{and false (index .list 9)}}"},
	{"not", "{{not 0}} {{not 1}} {{not .empty}} {{not .nil}}"},
	{"eq", "{{eq 1 1}} {{eq 1 2}} {{eq \"a\" \"a\"}} {{eq .int 7}} {{eq 1 2 3 1}}"},
	{"eq mixed", "{{eq .str 1}}"},
	{"eq nil", "{{eq .nil .nope}}"},
	{"ne lt", "{{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt 3 2}} {{ge 1 2}} {{lt \"a\" \"b\"}} {{lt 1.5 2.5}}"},
	{"lt mixed", "{{lt 1 1.5}}"},
	{"lt bool", "{{lt true false}}"},
	{"eq struct", "{{eq .s .s}}"},
	{"eq slice", "{{eq .list .list}}"},
	// builtins
	{"len", "{{len .str}} {{len .list}} {{len .m}} {{len .nilslice}}"},
	{"len int", "{{len 3}}"},
	{"len nil", "{{len .nope}}"},
	{"index", "{{index .list 1}} {{index .m \"b\"}} {{index .ints 0}} {{index .str 1}} {{index .sm \"k\"}}"},
	{"index missing", "{{index .m \"zz\"}}|{{index .sm \"zz\"}}"},
	{"index out of range", "{{index .list 3}}"},
	{"index nested", "{{index .nested \"inner\" \"v\"}}"},
	{"index nil", "{{index .nope 1}}"},
	{"slice", "{{slice .list 1}} {{slice .list 1 2}} {{slice .str 1 3}} {{slice .list}}"},
	{"slice3", "{{slice .list 0 1 2}}"},
	{"slice bad", "{{slice .list 2 1}}"},
	{"print", "{{print 1 2}} {{print \"a\" \"b\"}} {{print 1 \"a\" 2}} {{print .nil}}"},
	{"println", "{{println 1 \"a\"}}"},
	{"printf", "{{printf \"%5.2f|%-4d|%q|%x|%v\" .flt .int .str .str .list}}"},
	{"printf missing", "{{printf \"%v %v\" .nope .nil}}"},
	{"html", "{{html \"<a href='x'>&</a>\"}} {{html .nope}}"},
	{"js", "{{js \"it's <b> \\\"q\\\" =\"}}"},
	{"urlquery", "{{urlquery \"a b&c=d/é\"}}"},
	{"call", "{{call .str}}"},
	// errors
	{"wrong arg count", "{{printf}}"},
	{"wrong type", "{{add1 \"x\"}}"},
	{"non-function", "{{.str 1}}"},
	{"field on string", "{{.str.Foo}}"},
	{"unexported", "{{.s.hidden}}"},
	{"missing struct field", "{{.s.Nope}}"},
	{"nil command", "{{nil}}"},
	{"method args", "{{.s.Double}}"},
	{"overflow", "{{18446744073709551615}}"},
	{"func result to int", "{{add1 (len .list)}}"},
	{"variable arg", "{{$x := 3}}{{add1 $x}}"},
	{"float to int param", "{{add1 2.0}}"},
	{"float to int param bad", "{{add1 2.5}}"},
}

func main() {
	funcs := template.FuncMap{
		"add1": func(x int) int { return x + 1 },
	}
	fmt.Println("// Generated by scripts/gen-exec-cases.go from Go's text/template. Do not edit.")
	for _, c := range cases {
		var b strings.Builder
		t, err := template.New(c.name).Funcs(funcs).Parse(c.tmpl)
		ok := true
		want := ""
		if err != nil {
			ok = false
			want = err.Error()
		} else if err := t.Execute(&b, data()); err != nil {
			ok = false
			want = err.Error()
		} else {
			want = b.String()
		}
		fmt.Printf("{%q, R\"go(%s)go\", R\"go(%s)go\", %v},\n", c.name, c.tmpl, want, ok)
	}
}
