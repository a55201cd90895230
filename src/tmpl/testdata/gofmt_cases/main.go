// Prints the case table of gofmt_test.cc (kCases) from Go 1.19's own fmt,
// so every expected string there is what Go produces:
//
//	cd src/tmpl/testdata/gofmt_cases && go run . > /tmp/cases.inc
//
// Each row is {function, format, args, expected}.  Arguments are rendered as
// C++ expressions building the equivalent berth Values; the C++ types named
// in cppTypes are declared in gofmt_test.cc.  Heap addresses in Go's output
// are replaced by "0xPTR", which the C++ test matches against any address.
package main

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gofmtcases/demo"
	"gofmtcases/memkv"
	"net"
)

type tc struct {
	fn     byte // 'f' Sprintf, 'p' Sprint, 'l' Sprintln
	format string
	args   []any
}

func args(a ...any) []any { return a }

var (
	NaN    = math.NaN()
	posInf = math.Inf(1)
	negInf = math.Inf(-1)
)

func f(format string, a ...any) tc { return tc{'f', format, a} }
func p(a ...any) tc                { return tc{'p', "", a} }
func l(a ...any) tc                { return tc{'l', "", a} }

func cases() []tc {
	kv := memkv.KVPair{Key: "/app/port", Value: "8080"}
	kvs := memkv.KVPairs{{Key: "/a", Value: "1"}, {Key: "/b", Value: "x y"}}
	srv := &net.SRV{Target: "db.example.com.", Port: 5432, Priority: 10, Weight: 5}
	ifaces := []interface{}{1, "hello", 2.5, nil, true}
	imap := map[string]interface{}{"b": 2, "a": "x", "c": nil, "d": []string{"p", "q"}}
	smap := map[string]string{"zeta": "z", "alpha": "a", "": "empty"}
	when := time.Date(2009, 11, 10, 23, 0, 0, 0, time.UTC)
	node := &demo.Node{Name: "n1"}
	var nilNode *demo.Node
	var nilSRV *net.SRV
	inner := demo.NewInner("hid", "t", 2)
	holder := demo.Holder{}
	holder2 := demo.Holder{Any: demo.Color(1), Err: demo.Status{Code: 404}, List: []interface{}{nil, demo.Label("x")},
		M: map[string]string{"k": "v"}}
	return []tc{
		// ---- basics (fmt_test.go) ----
		f("%d", 12345), f("%v", 12345), f("%t", true),
		f("%s", "abc"), f("%q", "abc"), f("%x", "abc"), f("%x", "\xff\xf0\x0f\xff"), f("%X", "\xff\xf0\x0f\xff"),
		f("%x", ""), f("% x", ""), f("%#x", ""), f("%# x", ""), f("%x", "xyz"), f("%X", "xyz"), f("% x", "xyz"),
		f("% X", "xyz"), f("%#x", "xyz"), f("%#X", "xyz"), f("%# x", "xyz"), f("%# X", "xyz"),
		// bytes
		f("%s", []byte("abc")), f("%q", []byte("abc")), f("%x", []byte("abc")), f("%X", []byte("\xff\xf0\x0f\xff")),
		f("% x", []byte("")), f("%# x", []byte("xyz")), f("%# X", []byte("xyz")), f("%x", []byte(nil)),
		// escaped strings
		f("%q", ""), f("%#q", ""), f("%q", "\""), f("%#q", "\""), f("%q", "`"), f("%#q", "`"), f("%q", "\n"),
		f("%#q", "\n"), f("%q", `\n`), f("%#q", `\n`), f("%q", "日本語"), f("%+q", "日本語"), f("%#q", "日本語"),
		f("%#+q", "日本語"), f("%q", "\a\b\f\n\r\t\v\"\\"), f("%+q", "\a\b\f\n\r\t\v\"\\"), f("%q", "☺"),
		f("% q", "☺"), f("%+q", "☺"), f("%#q", "☺"), f("%10q", "⌘"), f("%+10q", "⌘"), f("%-10q", "⌘"),
		f("%+-10q", "⌘"), f("%010q", "⌘"), f("%+010q", "⌘"), f("%-010q", "⌘"), f("%#8q", "\n"), f("%#+8q", "\r"),
		f("%#-8q", "\t"), f("%#+-8q", "\b"), f("%q", "abc\xffdef"), f("%#q", "abc\xffdef"), f("%q", "\U0010ffff"),
		f("%#q", "\U0010ffff"), f("%q", string(rune(0x110000))), f("%+q", string(rune(0x110000))),
		f("%q", "\u00a0\u2000\u3000"), f("%#q", "\ufeff"),
		// characters
		f("%c", uint64('x')), f("%c", 0xe4), f("%c", 0x672c), f("%c", '日'), f("%.0c", '⌘'), f("%3c", '⌘'),
		f("%-3c", '⌘'), f("%c", '\U00000e00'), f("%c", '\U0010ffff'), f("%c", -1), f("%c", 0xDC80),
		f("%c", rune(0x110000)), f("%c", int64(0xFFFFFFFFF)), f("%c", uint64(0xFFFFFFFFF)), f("%c", uint8('A')),
		f("%q", uint64(0)), f("%+q", uint64(0)), f("%q", '"'), f("%q", '\''), f("%q", '`'), f("%q", 'x'),
		f("%q", 'ÿ'), f("%+q", 'ÿ'), f("%q", '\n'), f("%q", '☺'), f("%+q", '☺'), f("% q", '☺'), f("%.0q", '☺'),
		f("%10q", '⌘'), f("%+10q", '⌘'), f("%-10q", '⌘'), f("%010q", '⌘'), f("%+010q", '⌘'), f("%q", '\U00000e00'),
		f("%q", '\U0010ffff'), f("%q", int32(-1)), f("%q", 0xDC80), f("%q", int64(0xFFFFFFFFF)),
		// width and precision on strings
		f("%5s", "abc"), f("%5s", []byte("abc")), f("%2s", "\u263a"), f("%-5s", "abc"), f("%05s", "abc"),
		f("%5s", "abcdefghijklmnopqrstuvwxyz"), f("%.5s", "abcdefghijklmnopqrstuvwxyz"), f("%.0s", "日本語日本語"),
		f("%.5s", "日本語日本語"), f("%.10s", "日本語日本語"), f("%.5s", []byte("日本語日本語")), f("%08q", "abc"),
		f("%-8q", "abc"), f("%.5q", "abcdefghijklmnopqrstuvwxyz"), f("%.5x", "abcdefghijklmnopqrstuvwxyz"),
		f("%.3q", "日本語日本語"), f("%.1q", "日本語"), f("%.1x", "日本語"), f("%.1X", []byte("日本語")),
		f("%10.1q", "日本語日本語"), f("%10v", nil), f("%-10v", nil), f("%-20s|", "/app/port"),
		f("%20s|", "x"), f("%-20s|", "日本語"), f("%.2s", "a\xffb"), f("%5s", "a\xffb"),
		// integers
		f("%d", uint64(12345)), f("%d", int(-12345)), f("%d", ^uint8(0)), f("%d", ^uint16(0)), f("%d", ^uint32(0)),
		f("%d", ^uint64(0)), f("%d", int32(-1<<31)), f("%d", int64(-1<<63)), f("%.d", 0), f("%.0d", 0),
		f("%6.0d", 0), f("%06.0d", 0), f("% d", 12345), f("%+d", 12345), f("%+d", -12345), f("%b", 7),
		f("%b", -6), f("%#b", 7), f("%#b", -6), f("%b", ^uint32(0)), f("%b", ^uint64(0)), f("%b", int64(-1<<63)),
		f("%o", 01234), f("%o", -01234), f("%#o", 01234), f("%#o", -01234), f("%O", 01234), f("%O", -01234),
		f("%#O", 8), f("%#o", 0), f("%#.3o", 8), f("%o", ^uint32(0)), f("%o", ^uint64(0)), f("%#X", 0),
		f("%x", 0x12abcdef), f("%X", 0x12abcdef), f("%x", ^uint32(0)), f("%X", ^uint64(0)), f("%.20b", 7),
		f("%10d", 12345), f("%10d", -12345), f("%+10d", 12345), f("%010d", 12345), f("%010d", -12345),
		f("%20.8d", 1234), f("%20.8d", -1234), f("%020.8d", 1234), f("%020.8d", -1234), f("%-20.8d", 1234),
		f("%-20.8d", -1234), f("%-#20.8x", 0x1234abc), f("%-#20.8X", 0x1234abc), f("%-#20.8o", 01234),
		f("%068d", 1), f("%068d", -1), f("%#.68x", 42), f("%.68d", -42), f("%+.68d", 42), f("% .68d", 42),
		f("% +.68d", 42), f("%+ d", 5), f("% 05d", 5), f("%+05d", -5), f("%x", -255), f("%#x", -255),
		f("%v", uint8(200)), f("%#v", uint8(200)), f("%#v", uint16(7)), f("%#v", uint32(0)), f("%#v", uint64(1<<64-1)),
		f("%#v", 1000000000), f("%#v", -7), f("%#v", int32(65)), f("%d", uint8(255)), f("%x", uint16(0xbeef)),
		// unicode format
		f("%U", 0), f("%U", -1), f("%U", '\n'), f("%#U", '\n'), f("%+U", 'x'), f("%# U", 'x'), f("%#.2U", 'x'),
		f("%U", '\u263a'), f("%#U", '\u263a'), f("%U", '\U0001D6C2'), f("%#U", '\U0001D6C2'), f("%#14.6U", '⌘'),
		f("%#-14.6U", '⌘'), f("%#014.6U", '⌘'), f("%#-014.6U", '⌘'), f("%.68U", uint64(42)), f("%#.68U", '日'),
		f("%U", uint8(65)),
		// floats
		f("%+.3e", 0.0), f("%+.3e", 1.0), f("%+.3x", 0.0), f("%+.3x", 1.0), f("%+.3f", -1.0), f("%+.3F", -1.0),
		f("%+07.2f", 1.0), f("%+07.2f", -1.0), f("%-07.2f", 1.0), f("%-07.2f", -1.0), f("%+-07.2f", 1.0),
		f("%+-07.2f", -1.0), f("%-+07.2f", 1.0), f("%+10.2f", +1.0), f("%+10.2f", -1.0), f("% .3E", -1.0),
		f("% .3e", 1.0), f("% .3X", -1.0), f("% .3x", 1.0), f("%+.3g", 0.0), f("%+.3g", 1.0), f("%+.3g", -1.0),
		f("% .3g", -1.0), f("% .3g", 1.0), f("%b", 1.0), f("%#g", 1e-323), f("%#g", -1.0), f("%#g", 1.1),
		f("%#g", 123456.0), f("%#g", 1234567.0), f("%#g", 1230000.0), f("%#g", 1000000.0), f("%#.0f", 1.0),
		f("%#.0e", 1.0), f("%#.0x", 1.0), f("%#.0g", 1.0), f("%#.0g", 1100000.0), f("%#.4f", 1.0),
		f("%#.4e", 1.0), f("%#.4x", 1.0), f("%#.4g", 1.0), f("%#.4g", 100000.0), f("%#.4g", 1.234),
		f("%#.4g", 0.1234), f("%#.4g", 1.23), f("%#.4g", 0.123), f("%#.4g", 1.2), f("%#.4g", 0.12),
		f("%#.4g", 10.2), f("%#.4g", 0.0), f("%#.4g", 0.012), f("%#.0f", 123.0), f("%#.0e", 123.0),
		f("%#.0x", 123.0), f("%#.0g", 123.0), f("%#.4f", 123.0), f("%#.4e", 123.0), f("%#.4x", 123.0),
		f("%#.4g", 123.0), f("%#.4g", 123000.0), f("%#9.4g", 1.0), f("%#b", 1.0), f("%.4b", -1.0),
		f("%#X", 1.0), f("%#v", 1.5), f("%#v", 3.0), f("%#.3v", 3.0),
		f("%.68f", 1.0), f("%.68f", -1.0), f("%f", posInf), f("%.1f", negInf), f("% f", NaN), f("%20f", posInf),
		f("% 20F", posInf), f("% 20e", negInf), f("% 20x", negInf), f("%+20E", negInf), f("%+20X", negInf),
		f("% +20g", negInf), f("%+-20G", posInf), f("%20e", NaN), f("%20x", NaN), f("% +20E", NaN),
		f("% +20X", NaN), f("% -20g", NaN), f("%+-20G", NaN), f("%+020e", posInf), f("%+020x", posInf),
		f("%-020f", negInf), f("%-020E", NaN), f("%-020X", NaN), f("%v", NaN), f("%v", negInf), f("%v", posInf),
		f("%e", 1.0), f("%e", 1234.5678e3), f("%e", 1234.5678e-8), f("%e", -7.0), f("%e", -1e-9),
		f("%f", 1234.5678e3), f("%f", 1234.5678e-8), f("%f", -7.0), f("%f", -1e-9), f("%g", 1234.5678e3),
		f("%g", 1234.5678e-8), f("%g", -7.0), f("%g", -1e-9), f("%E", 1.0), f("%E", 1234.5678e3),
		f("%E", 1234.5678e-8), f("%E", -7.0), f("%E", -1e-9), f("%G", 1234.5678e3), f("%G", 1234.5678e-8),
		f("%G", -7.0), f("%G", -1e-9), f("%20.5s", "qwertyuiop"), f("%.5s", "qwertyuiop"),
		f("%-20.5s", "qwertyuiop"), f("%20c", 'x'), f("%-20c", 'x'), f("%20.6e", 1.2345e3),
		f("%20.6e", 1.2345e-3), f("%20e", 1.2345e3), f("%20e", 1.2345e-3), f("%20.8e", 1.2345e3),
		f("%20f", 1.23456789e3), f("%20f", 1.23456789e-3), f("%20f", 12345678901.23456789),
		f("%-20f", 1.23456789e3), f("%20.8f", 1.23456789e3), f("%20.8f", 1.23456789e-3),
		f("%g", 1.23456789e3), f("%g", 1.23456789e-3), f("%g", 1.23456789e20),
		f("%v", 1.2345678), f("%v", 1e6), f("%v", 123456.0), f("%v", 1234567.0), f("%v", 1e20), f("%v", 1e21),
		f("%v", 0.0001), f("%v", 0.00001), f("%v", 100.0), f("%v", -0.0), f("%v", 0.1+0.2), f("%v", 5e-324),
		f("%v", math.MaxFloat64), f("%.3v", 3.14159), f("%10.3v", 3.14159), f("%-10v|", 2.5), f("%x", 3.0),
		f("%X", -0.5), f("%.2f", 2.675), f("%.0f", 0.5), f("%.0f", 1.5), f("%.0f", 2.5), f("%.1f", 0.25),
		f("%5.1f%%", 99.44), f("%.2e", 0.0), f("%010.3f", -3.14159), f("%.3g", 100.0), f("%.3g", 1000.0),
		f("%g", 1e-5), f("%g", 1e-4), f("%.0e", 15.0), f("%.0e", 25.0),
		// complex
		f("%.f", 0i), f("% .f", 0i), f("%+.f", 0i), f("% +.f", 0i), f("%+.3e", 0i), f("%+.3x", 0i),
		f("%+.3f", 0i), f("%+.3g", 0i), f("%+.3e", 1+2i), f("%+.3x", 1+2i), f("%+.3f", 1+2i), f("%+.3g", 1+2i),
		f("%.3e", 0i), f("%.3x", 0i), f("%.3f", 0i), f("%.3F", 0i), f("%.3g", 0i), f("%.3e", 1+2i),
		f("%.3x", 1+2i), f("%.3f", 1+2i), f("%.3g", 1+2i), f("%.3e", -1-2i), f("%.3x", -1-2i), f("%.3f", -1-2i),
		f("%.3g", -1-2i), f("% .3E", -1-2i), f("% .3X", -1-2i), f("%#g", 1+2i), f("%#g", 123456+789012i),
		f("%#g", 1e-10i), f("%#g", -1e10-1.11e100i), f("%#.0f", 1.23+1.0i), f("%#.0e", 1.23+1.0i),
		f("%#.0x", 1.23+1.0i), f("%#.0g", 1.23+1.0i), f("%#.0g", 0+100000i), f("%#.0g", 1230000+0i),
		f("%#.4f", 1+1.23i), f("%#.4e", 123+1i), f("%#.4x", 123+1i), f("%#.4g", 123+1.23i),
		f("%#12.5g", 0+100000i), f("%#12.5g", 1230000-0i), f("%b", 1+2i), f("%#b", 1+2i), f("%.4b", 1+2i),
		f("%f", complex(posInf, posInf)), f("%f", complex(negInf, negInf)), f("%f", complex(NaN, NaN)),
		f("%.1f", complex(posInf, posInf)), f("% f", complex(posInf, posInf)), f("% f", complex(negInf, negInf)),
		f("% f", complex(NaN, NaN)), f("%8e", complex(posInf, posInf)), f("%8x", complex(posInf, posInf)),
		f("% 8E", complex(posInf, posInf)), f("% 8X", complex(posInf, posInf)), f("%+8f", complex(negInf, negInf)),
		f("% +8g", complex(negInf, negInf)), f("% -8G", complex(NaN, NaN)), f("%+-8b", complex(NaN, NaN)),
		f("%08f", complex(posInf, posInf)), f("%-08g", complex(negInf, negInf)), f("%-08G", complex(NaN, NaN)),
		f("%v", 1+2i), f("%#v", 1+2i), f("%7.2f", 1+2i), f("%+07.2f", -1-2i), f("%+10.2f", +104.66+440.51i),
		f("%+10.2f", -104.66+440.51i), f("%+010.2f", +104.66-440.51i), f("%+010.2f", -104.66-440.51i),
		f("%d", 1+2i), f("%v", []complex128{1, 2, 3}),
		// C printf padding comparison
		f("%.2f", 1.0), f("%.2f", -1.0), f("% .2f", 1.0), f("% .2f", -1.0), f("%+.2f", 1.0), f("%+.2f", -1.0),
		f("%7.2f", 1.0), f("%7.2f", -1.0), f("% 7.2f", 1.0), f("% 7.2f", -1.0), f("%+7.2f", 1.0),
		f("%+7.2f", -1.0), f("% +7.2f", 1.0), f("% +7.2f", -1.0), f("%07.2f", 1.0), f("%07.2f", -1.0),
		f("% 07.2f", 1.0), f("% 07.2f", -1.0), f("%+07.2f", 1.0), f("%+07.2f", -1.0), f("% +07.2f", 1.0),
		f("% +07.2f", -1.0), f("%0-5s", "abc"), f("%-05.1f", 1.0),
		// padding for other elements is not disturbed
		f("%06v", []any{+10.0, 10}), f("%06v", []any{-10.0, 10}), f("%06v", []any{+10.0 + 10i, 10}),
		f("%06v", []any{-10.0 + 10i, 10}), f("%03.6v", []any{1, 2.0, "x"}), f("%03.0v", []any{0, 2.0, "x"}),
		f("%.", 3),
		// byte slices with other verbs
		f("%b", []byte{65, 66, 67}), f("%c", []byte{65, 66, 67}), f("%d", []byte{65, 66, 67}),
		f("%o", []byte{65, 66, 67}), f("%U", []byte{65, 66, 67}), f("%v", []byte{65, 66, 67}),
		f("%012v", []byte{}), f("%#012v", []byte{}), f("%6v", []byte{1, 11, 111}), f("%06v", []byte{1, 11, 111}),
		f("%-6v", []byte{1, 11, 111}), f("%-06v", []byte{1, 11, 111}), f("%#v", []byte{1, 11, 111}),
		f("%#6v", []byte{1, 11, 111}), f("%#06v", []byte{1, 11, 111}), f("%#-6v", []byte{1, 11, 111}),
		f("% v", []byte{1, 11, 111}), f("%# -6v", []byte{1, 11, 111}), f("% d", []byte{1, 11, 111}),
		f("%# -6d", []byte{1, 11, 111}), f("%#v", []byte(nil)), f("%v", []byte(nil)), f("%s", []byte(nil)),
		f("%#v", []byte{}), f("%#v", []interface{}{[]byte{1}}), f("%x", []interface{}{[]byte{1, 2}}),
		f("%#x", []int{1, 2, 15}), f("%x", []int{1, 2, 15}), f("%d", []int{1, 2, 15}), f("%q", []string{"a", "b"}),
		f("% 02x", []byte{1}), f("% 02x", []byte{1, 2, 3}), f("%2x", []byte{}), f("%#2x", []byte{}),
		f("% 02x", []byte{}), f("%# 02x", []byte{}), f("%-2x", []byte{}), f("%-02x", []byte{}),
		f("%8x", []byte{0xab}), f("% 8x", []byte{0xab}), f("%#8x", []byte{0xab}), f("%# 8x", []byte{0xab}),
		f("%08x", []byte{0xab}), f("% 08x", []byte{0xab}), f("%#08x", []byte{0xab}), f("%# 08x", []byte{0xab}),
		f("%10x", []byte{0xab, 0xcd}), f("% 10x", []byte{0xab, 0xcd}), f("%#10x", []byte{0xab, 0xcd}),
		f("%# 10x", []byte{0xab, 0xcd}), f("%010x", []byte{0xab, 0xcd}), f("% 010x", []byte{0xab, 0xcd}),
		f("%#010x", []byte{0xab, 0xcd}), f("%# 010x", []byte{0xab, 0xcd}), f("%-10X", []byte{0xab}),
		f("% -010X", []byte{0xab}), f("%#-10X", []byte{0xab, 0xcd}), f("%# -010X", []byte{0xab, 0xcd}),
		f("%2x", ""), f("%#2x", ""), f("% 02x", ""), f("%# 02x", ""), f("%-2x", ""), f("%-02x", ""),
		f("%8x", "\xab"), f("% 8x", "\xab"), f("%#8x", "\xab"), f("%# 8x", "\xab"), f("%08x", "\xab"),
		f("% 08x", "\xab"), f("%#08x", "\xab"), f("%# 08x", "\xab"), f("%10x", "\xab\xcd"), f("% 10x", "\xab\xcd"),
		f("%#10x", "\xab\xcd"), f("%# 10x", "\xab\xcd"), f("%010x", "\xab\xcd"), f("% 010x", "\xab\xcd"),
		f("%#010x", "\xab\xcd"), f("%# 010x", "\xab\xcd"), f("%-10X", "\xab"), f("% -010X", "\xab"),
		f("%#-10X", "\xab\xcd"), f("%# -010X", "\xab\xcd"),
		// named byte slices
		f("%v", demo.Raw("hi")), f("%s", demo.Raw("hi")), f("%q", demo.Raw("hi")), f("%x", demo.Raw("hi")),
		f("%#v", demo.Raw("hi")), f("%#v", demo.Raw(nil)), f("%d", demo.Raw{1, 2}), f("%T", demo.Raw{}),
		f("%T", []byte{}), f("%☠", []byte{0, 1}), f("%☠", demo.Raw{0, 1}), f("%w", []byte{0, 1}),
		// slices
		f("%v", []int{1, 2, 3}), f("%v", []int{}), f("%v", []int(nil)), f("%#v", []int(nil)), f("%#v", []int{}),
		f("%#v", []int{1, 2}), f("%v", []string{"a", "b c"}), f("%s", []string{"a", "b"}),
		f("%#v", []string{"a", "b"}), f("%#v", []string(nil)), f("%x", []string{"ab", "cd"}),
		f("%X", []string{"ab", "cd"}), f("% x", []string{"ab", "cd"}), f("%q", []string{"a\n", "b"}),
		f("%5s", []string{"a", "bb"}), f("%-5s|", []string{"a", "bb"}), f("%05d", []int{1, -2}),
		f("%d", []string{"a"}), f("%s", []int{1}), f("%T", []string{}), f("%v", []float64{1, 2.5, 1e21}),
		f("%.1f", []float64{1, 2.55}), f("%c", []int{72, 105}), f("%U", []int32{'x'}), f("%v", [][]int(nil)),
		// []interface {}
		f("%v", ifaces), f("%+v", ifaces), f("%#v", ifaces), f("%d", ifaces), f("%s", ifaces), f("%q", ifaces),
		f("%x", ifaces), f("%T", ifaces), f("%#v", []interface{}(nil)), f("%v", []interface{}{}),
		f("%#v", []interface{}{}), f("%v", []interface{}{nil}), f("%d", []interface{}{nil}),
		f("%#v", []interface{}{nil}), f("%v", []interface{}{[]string{"a"}, map[string]string{"k": "v"}}),
		f("%#v", []interface{}{[]string{"a"}, map[string]string{"k": "v"}}),
		f("%v", []interface{}{demo.Color(1), demo.Label("l"), demo.Status{Code: 3}}),
		f("%d", []interface{}{demo.Color(1), demo.Label("l")}),
		f("%#v", []interface{}{demo.Color(1), demo.Label("l"), demo.Pt{X: 1, Y: 2}}),
		f("%v", []interface{}{node, nilNode}), f("%s", []interface{}{nilNode}),
		f("%v", []interface{}{nilSRV}), f("%#v", []interface{}{nilSRV}), f("%d", []interface{}{nilSRV}),
		f("%v", []interface{}{uint8(7), int32(-1), int64(2), uint16(3), uint32(4), uint64(5), 1.5, 1i, true}),
		f("%#v", []interface{}{uint8(7), int32(-1), int64(2), uint16(3), uint32(4), uint64(5), 1.5, 1i, true}),
		f("%t", []interface{}{true, 1}),
		// maps
		f("%v", smap), f("%+v", smap), f("%#v", smap), f("%q", smap), f("%x", smap), f("%s", smap),
		f("%v", imap), f("%#v", imap), f("%d", imap), f("%T", imap), f("%v", map[string]string(nil)),
		f("%#v", map[string]string(nil)), f("%#v", map[string]interface{}(nil)), f("%#v", map[string]string{}),
		f("%v", map[string]int{"b": 1, "a": 2, "B": 3, "ä": 4, "aa": 5}), f("%#v", map[string]int{"x": -1}),
		f("%03d", map[string]int{"a": 1}), f("%v", map[string][]string{"k": {"a", "b"}, "e": nil}),
		f("%#v", map[string][]string{"k": {"a", "b"}, "e": nil}), f("%v", map[string]demo.Color{"c": 2}),
		f("%d", map[string]demo.Color{"c": 2}), f("%#v", map[string]demo.Color{"c": 2}),
		f("%v", map[demo.Label]int{"k": 1}), f("%#v", map[demo.Label]int{"k": 1}),
		// structs
		f("%v", kv), f("%+v", kv), f("%#v", kv), f("%s", kv), f("%q", kv), f("%x", kv), f("%d", kv), f("%T", kv),
		f("%10v", kv), f("%-8s|", kv), f("%v", memkv.KVPair{}), f("%#v", memkv.KVPair{}),
		f("%v", kvs), f("%+v", kvs), f("%#v", kvs), f("%T", kvs), f("%#v", memkv.KVPairs(nil)),
		f("%v", memkv.KVPairs(nil)), f("%#v", memkv.KVPairs{}), f("%v", []memkv.KVPair{kv}),
		f("%#v", []memkv.KVPair{kv}), f("%v", []interface{}{kv, kvs}), f("%#v", []interface{}{kv}),
		f("%v", inner), f("%+v", inner), f("%#v", inner), f("%s", inner), f("%d", inner),
		f("%v", holder), f("%+v", holder), f("%#v", holder), f("%v", holder2), f("%+v", holder2),
		f("%#v", holder2), f("%s", holder2), f("%d", holder2),
		f("%v", demo.Pt{X: 1, Y: 2}), f("%#v", demo.Pt{X: 1, Y: 2}), f("%+v", demo.Pt{X: 1, Y: 2}),
		f("%#v", []demo.Pt{{X: 3, Y: 4}}), f("%#v", map[string]demo.Pt{"p": {X: 5, Y: 6}}),
		f("%v", demo.Status{Code: 500}), f("%s", demo.Status{Code: 500}), f("%q", demo.Status{Code: 500}),
		f("%+v", demo.Status{Code: 500}), f("%#v", demo.Status{Code: 500}), f("%d", demo.Status{Code: 500}),
		f("%x", demo.Status{Code: 500}), f("%T", demo.Status{Code: 500}),
		// pointers
		f("%v", srv), f("%+v", srv), f("%s", srv), f("%d", srv), f("%T", srv), f("%v", nilSRV), f("%+v", nilSRV),
		f("%#v", nilSRV), f("%s", nilSRV), f("%d", nilSRV), f("%T", nilSRV), f("%10v|", nilSRV),
		f("%p", nilSRV), f("%#p", nilSRV), f("%8.2p", nilSRV), f("%x", nilSRV),
		f("%v", []*net.SRV{srv}), f("%#v", []*net.SRV{nil}), f("%v", []*net.SRV{nil}), f("%+v", []*net.SRV{srv}),
		f("%#v", srv), f("%v", &[]string{"a"}), f("%#v", &[]string{"a"}), f("%v", &map[string]string{"a": "b"}),
		f("%#v", &map[string]string{"a": "b"}), f("%v", &kvs), f("%v", &kv), f("%+v", &kv), f("%#v", &kv),
		f("%v", node), f("%s", node), f("%d", node), f("%#v", node), f("%v", nilNode), f("%s", nilNode),
		f("%T", nilNode), f("%v", *node), f("%+v", *node), f("%v", []*demo.Node{node}),
		f("%p", 27), f("%p", nil), f("%#p", nil), f("%p", kv), f("%p", "s"),
		// Stringers
		f("%v", demo.Color(0)), f("%s", demo.Color(1)), f("%q", demo.Color(2)), f("%x", demo.Color(2)),
		f("%X", demo.Color(2)), f("%#x", demo.Color(2)), f("%# x", demo.Color(2)), f("%d", demo.Color(2)),
		f("%#v", demo.Color(2)), f("%+v", demo.Color(7)), f("%5v|", demo.Color(0)), f("%-7s|", demo.Color(1)),
		f("%.2s", demo.Color(1)), f("%t", demo.Color(1)), f("%T", demo.Color(1)), f("%c", demo.Color(65)),
		f("%08.3f", demo.Color(1)), f("%v", []demo.Color{0, 1, 9}), f("%d", []demo.Color{0, 1}),
		f("%#v", []demo.Color{0, 1}), f("%s", []demo.Color{2}), f("%x", []demo.Color{2}),
		f("%v", demo.Label("a")), f("%s", demo.Label("a")), f("%d", demo.Label("a")), f("%#v", demo.Label("a")),
		f("%x", demo.Label("a")), f("%T", demo.Label("a")),
		// time.Time has String and GoString
		f("%v", when), f("%s", when), f("%q", when), f("%#v", when), f("%+v", when), f("%T", when),
		f("%v", []interface{}{when}), f("%#v", []interface{}{when}), f("%30v|", when),
		// %T
		f("%T", uint8(0)), f("%T", 4-3i), f("%T", 1), f("%T", "s"), f("%T", 1.0), f("%T", true), f("%T", int32(1)),
		f("%T", int64(1)), f("%T", uint16(1)), f("%T", uint32(1)), f("%T", uint64(1)), f("%6T", srv),
		f("%10T", nil), f("%-10T", nil), f("%.3T", "s"), f("%T", []string(nil)), f("%T", smap),
		// %v on nil
		f("%v", nil), f("%#v", nil), f("%+v", nil), f("%d", nil), f("%s", nil), f("%q", nil), f("%8.2v", nilSRV),
		// bad verbs
		f("%☠", nil), f("%☠", 0), f("%☠", uint64(0)), f("%☠", "hello"), f("%☠", 1.2345678),
		f("%☠", 1.2345678+1.2345678i), f("%☠", []interface{}{demo.Color(1), demo.Pt{X: 1, Y: 2}}),
		f("%☠", map[string]int{"a": 1}), f("%z", true), f("%d", true), f("%s", true), f("%s", 5), f("%d", "abc"),
		f("%s", 1.5), f("%d", 1.5), f("%x", true), f("%!", 1), f("%é", 1), f("%\xff", 1), f("%10t", 5),
		f("%+d", kv), f("%w", 5), f("%w", "s"), f("%w", demo.Status{Code: 1}), f("%w", nil), f("%w", kv),
		f("%w", []int{1}), f("%w", srv), f("%z", srv), f("%z", nilSRV), f("%t", smap),
		// nil does not become typed
		f("%s %s %s %s %s", nil, nilNode, nil, memkv.KVPair{}, nil),
		// errors in the format
		f(""), f("", nil), f("", 2), f("no args", "hello"), f("%s %", "hello"), f("%s %.2", "hello"),
		f("%017091901790959340919092959340919017929593813360", 0), f("%184467440737095516170v", 0),
		f("%010.2", "12345"), f("%d %d", 1), f("%d", 1, "x", nil, []int{2}), f("%s", "a", kv), f("100%%"),
		f("%5%"), f("%-5%|"), f("%%d", 1), f("%", 1), f("%-"), f("abc%"), f("%v %v", 1, 2, 3),
		// argument indexes
		f("%[1]d", 1), f("%[2]d", 2, 1), f("%[2]d %[1]d", 1, 2), f("%[2]*[1]d", 2, 5), f("%6.2f", 12.0),
		f("%[3]*.[2]*[1]f", 12.0, 2, 6), f("%[1]*.[2]*[3]f", 6, 2, 12.0), f("%10f", 12.0),
		f("%[1]*[3]f", 10, 99, 12.0), f("%.6f", 12.0), f("%.[1]*[3]f", 6, 99, 12.0), f("%6.f", 12.0),
		f("%[1]*.[3]f", 6, 3, 12.0), f("%d %d %d %#[1]o %#o %#o", 11, 12, 13), f("%[d", 2, 1),
		f("%]d", 2, 1), f("%[]d", 2, 1), f("%[-3]d", 2, 1), f("%[99]d", 2, 1), f("%[3]", 2, 1),
		f("%[1].2d", 5, 6), f("%[1]2d", 2, 1), f("%3.[2]d", 7), f("%.[2]d", 7),
		f("%d %d %d %#[1]o %#o %#o %#o", 11, 12, 13), f("%[5]d %[2]d %d", 1, 2, 3), f("%d %[3]d %d", 1, 2),
		f("%.[]"), f("%.-3d", 42), f("%2147483648d", 42), f("%-2147483648d", 42), f("%.2147483648d", 42),
		f("%[2]s %[1]s", "a", "b"), f("%[1]s", "a", "b"), f("%[1]v %v", "a", "b", "c"),
		// width and precision from arguments
		f("%*d", 4, 42), f("%-*d", 4, 42), f("%*d", -4, 42), f("%-*d", -4, 42), f("%.*d", 4, 42),
		f("%*.*d", 8, 4, 42), f("%0*d", 4, 42), f("%0*d", uint64(4), 42), f("%0*d", '\x04', 42),
		f("%0*d", uint8(4), 42), f("%0*d", int64(4), 42), f("%*d", nil, 42), f("%*d", int(1e7), 42),
		f("%*d", int(-1e7), 42), f("%.*d", nil, 42), f("%.*d", -1, 42), f("%.*d", int(1e7), 42),
		f("%.*d", uint64(1e7), 42), f("%.*d", uint64(1<<63), 42), f("%.*d", uint64(1<<64-1), 42),
		f("%*d", 5, "foo"), f("%*% %d", 20, 5), f("%*", 4), f("%*s|", 6, "ab"), f("%-*s|", 6, "ab"),
		f("%*d", "4", 42), f("%*d", 4.0, 42), f("%.*s", 2, "abcdef"), f("%*.*s|", 5, 1, "xyz"),
		f("%*d"), f("%.*d", 3),
		// Sprint
		p(), p(nil), p("a"), p(1), p("<", 1, ">:", 1, 2, 3, "!"), p(1, 2), p("a", "b"), p(1, "a", 2),
		p(nil, nil), p(nil, "a", nil), p(1.5, true, 'x'), p(demo.Label("x"), demo.Label("y")),
		p(demo.Color(1), demo.Color(2)), p(demo.Label("x"), 1), p(kv, kv), p(kvs), p(srv, srv), p(nilSRV),
		p(ifaces), p(imap), p(smap), p([]byte("hi")), p(demo.Raw("hi")), p(when), p(node), p(nilNode),
		p(demo.Status{Code: 2}), p(inner), p(holder2), p(1 + 2i), p(NaN, posInf), p(uint8(1), int64(-2)),
		p("", ""), p("", 1, ""), p(5, ""), p([]string{"x"}, []string{"y"}),
		// Sprintln
		l(), l(nil), l("a"), l("<", 1, ">:", 1, 2, 3, "!"), l("a", "b"), l(1, 2), l(kv), l(kvs, srv),
		l(demo.Label("x"), demo.Color(1)), l(ifaces, imap), l(nil, nil), l(""), l("", ""),
	}
}

// ---- rendering Go values as C++ expressions ----

var cppTypes = map[string]string{
	"bool":                    "tBool",
	"int":                     "tInt",
	"int32":                   "tInt32",
	"int64":                   "tInt64",
	"uint8":                   "tUint8",
	"uint16":                  "tUint16",
	"uint32":                  "tUint32",
	"uint64":                  "tUint64",
	"float64":                 "tFloat64",
	"complex128":              "tComplex128",
	"string":                  "tString",
	"interface {}":            "tIface",
	"[]string":                "tStrings",
	"[]int":                   "tInts",
	"[]interface {}":          "tIfaces",
	"map[string]string":       "tStrMap",
	"map[string]interface {}": "tIfaceMap",
	"[]uint8":                 "&kBytes",
	"[]int32":                 "&kRuneSlice",
	"[]float64":               "&kFloatSlice",
	"[]complex128":            "&kComplexSlice",
	"[][]int":                 "&kIntSliceSlice",
	"map[string]int":          "&kStringIntMap",
	"map[string][]string":     "&kStringSlicesMap",
	"*[]string":               "&kStringSlicePtr",
	"*map[string]string":      "&kStringMapPtr",
	"error":                   "&kError",
	"memkv.KVPair":            "&kKVPair",
	"memkv.KVPairs":           "&kKVPairs",
	"[]memkv.KVPair":          "&kKVPairSlice",
	"*memkv.KVPair":           "&kKVPairPtr",
	"*memkv.KVPairs":          "&kKVPairsPtr",
	"net.SRV":                 "&kSRV",
	"*net.SRV":                "&kSRVPtr",
	"[]*net.SRV":              "&kSRVPtrSlice",
	"demo.Color":              "&kColor",
	"[]demo.Color":            "&kColorSlice",
	"map[string]demo.Color":   "&kStringColorMap",
	"demo.Status":             "&kStatus",
	"demo.Pt":                 "&kPt",
	"[]demo.Pt":               "&kPtSlice",
	"map[string]demo.Pt":      "&kStringPtMap",
	"demo.Node":               "&kNode",
	"*demo.Node":              "&kNodePtr",
	"[]*demo.Node":            "&kNodePtrSlice",
	"demo.Label":              "&kLabel",
	"map[demo.Label]int":      "&kLabelIntMap",
	"demo.Inner":              "&kInner",
	"demo.Holder":             "&kHolder",
	"demo.Raw":                "&kRaw",
	"time.Time":               "&kTime",
}

func cppType(t reflect.Type) string {
	s, ok := cppTypes[t.String()]
	if !ok {
		panic("no C++ type for " + t.String())
	}
	return s
}

func cpp(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "\\%03o", c)
		}
	}
	b.WriteString("\"sv")
	return b.String()
}

func floatLit(f float64) string {
	switch {
	case math.IsNaN(f):
		return "kNaN"
	case math.IsInf(f, 1):
		return "kInf"
	case math.IsInf(f, -1):
		return "-kInf"
	case f == 0 && math.Signbit(f):
		return "-0.0"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

// render spells v with the helpers of gofmt_test.cc: Int/Str/Flt/Bool for
// the plain types, I/U/F/B/S(type, x) for others, L (slice), M (map),
// St (struct), P (pointer), Nil(type), Cplx, Time, and Value() for nil.
func render(v reflect.Value) string {
	t := v.Type()
	if t == reflect.TypeOf(time.Time{}) {
		tm := v.Interface().(time.Time)
		return fmt.Sprintf("Time(%s, %s)", cpp(tm.String()), cpp(tm.GoString()))
	}
	plain := t.PkgPath() == "" && t.Name() != ""
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return "Value()"
		}
		return render(v.Elem())
	case reflect.Bool:
		if plain {
			return fmt.Sprintf("Bool(%v)", v.Bool())
		}
		return fmt.Sprintf("B(%s, %v)", cppType(t), v.Bool())
	case reflect.Int, reflect.Int32, reflect.Int64:
		n := v.Int()
		lit := strconv.FormatInt(n, 10)
		if n == math.MinInt64 {
			lit = "INT64_MIN"
		}
		if t.String() == "int" {
			return fmt.Sprintf("Int(%s)", lit)
		}
		return fmt.Sprintf("I(%s, %s)", cppType(t), lit)
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return fmt.Sprintf("U(%s, %du)", cppType(t), v.Uint())
	case reflect.Float64:
		if plain {
			return fmt.Sprintf("Flt(%s)", floatLit(v.Float()))
		}
		return fmt.Sprintf("F(%s, %s)", cppType(t), floatLit(v.Float()))
	case reflect.Complex128:
		c := v.Complex()
		return fmt.Sprintf("Cplx(%s, %s)", floatLit(real(c)), floatLit(imag(c)))
	case reflect.String:
		if plain {
			return fmt.Sprintf("Str(%s)", cpp(v.String()))
		}
		return fmt.Sprintf("S(%s, %s)", cppType(t), cpp(v.String()))
	case reflect.Slice:
		if v.IsNil() {
			return fmt.Sprintf("Nil(%s)", cppType(t))
		}
		var elems []string
		for i := 0; i < v.Len(); i++ {
			elems = append(elems, render(v.Index(i)))
		}
		return fmt.Sprintf("L(%s, {%s})", cppType(t), strings.Join(elems, ", "))
	case reflect.Map:
		if v.IsNil() {
			return fmt.Sprintf("Nil(%s)", cppType(t))
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		var elems []string
		for _, k := range keys {
			elems = append(elems, fmt.Sprintf("{%s, %s}", cpp(k.String()), render(v.MapIndex(k))))
		}
		return fmt.Sprintf("M(%s, {%s})", cppType(t), strings.Join(elems, ", "))
	case reflect.Struct:
		var elems []string
		for i := 0; i < v.NumField(); i++ {
			elems = append(elems, render(v.Field(i)))
		}
		return fmt.Sprintf("St(%s, {%s})", cppType(t), strings.Join(elems, ", "))
	case reflect.Pointer:
		if v.IsNil() {
			return fmt.Sprintf("Nil(%s)", cppType(t))
		}
		return fmt.Sprintf("P(%s, %s)", cppType(t), render(v.Elem()))
	}
	panic("cannot render " + t.String())
}

var heapAddress = regexp.MustCompile(`0xc[0-9a-f]{9}`)

func main() {
	for _, c := range cases() {
		var out string
		switch c.fn {
		case 'f':
			out = fmt.Sprintf(c.format, c.args...)
		case 'p':
			out = fmt.Sprint(c.args...)
		case 'l':
			out = fmt.Sprintln(c.args...)
		}
		out = heapAddress.ReplaceAllString(out, "0xPTR")
		var rendered []string
		for _, a := range c.args {
			if a == nil {
				rendered = append(rendered, "Value()")
			} else {
				rendered = append(rendered, render(reflect.ValueOf(a)))
			}
		}
		fmt.Printf("    {'%c', %s, {%s}, %s},\n", c.fn, cpp(c.format), strings.Join(rendered, ", "), cpp(out))
	}
}
