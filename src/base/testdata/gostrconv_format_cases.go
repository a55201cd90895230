//go:build ignore

// Prints the case tables of gostrconv_format_test.cc from Go 1.19's own
// strconv, so every expected string there is what Go produces:
//
//	go run src/base/testdata/gostrconv_format_cases.go
package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// cpp renders s as a C++ string literal; non-ASCII and control bytes become
// three-digit octal escapes, which never swallow the following character.
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
	b.WriteByte('"')
	return b.String()
}

func floatCases() {
	values := []float64{
		0, math.Copysign(0, -1), 1, -1, 0.5, 20, 0.1, 1.0 / 3, math.Pi, -math.E, 123456, 1234567,
		1e6, 1e20, 1e21, 1e23, 1e-4, 1e-5, 2.5, 0.125, 1e100, 1e-100, math.MaxFloat64,
		math.SmallestNonzeroFloat64, 2.2250738585072014e-308, float64(float32(0.1)), 16777216,
		99999999999999974834176, math.Inf(1), math.Inf(-1), math.NaN(),
	}
	type fp struct {
		f    byte
		prec int
	}
	forms := []fp{
		{'e', -1}, {'e', 3}, {'E', 20}, {'f', -1}, {'f', 0}, {'f', 2},
		{'g', -1}, {'g', 0}, {'G', 4}, {'g', 17}, {'b', -1}, {'x', -1}, {'X', 3},
	}
	fmt.Println("// {bits, fmt, prec, bit_size, expected}  value")
	for _, v := range values {
		for _, bs := range []int{64, 32} {
			if bs == 32 && (v == 0 || math.Abs(v) > math.MaxFloat32 && !math.IsInf(v, 0)) {
				continue
			}
			for _, f := range forms {
				if bs == 32 && (f.prec != -1 || f.f == 'f') {
					continue
				}
				fmt.Printf("    {0x%016x, '%c', %d, %d, %s},  // %v\n", math.Float64bits(v), f.f, f.prec, bs,
					cpp(strconv.FormatFloat(v, f.f, f.prec, bs)), v)
			}
		}
	}
}

func intCases() {
	values := []int64{0, 1, -1, 7, 10, 35, 36, 255, -255, 1 << 31, math.MaxInt64, math.MinInt64, 1234567890}
	fmt.Println("// {value, base, FormatInt, FormatUint(uint64(value))}")
	for _, v := range values {
		for _, base := range []int{2, 8, 10, 16, 36} {
			lit := strconv.FormatInt(v, 10)
			if v == math.MinInt64 {
				lit = "INT64_MIN" // -9223372036854775808 is not a C++ literal
			}
			fmt.Printf("    {%s, %d, %s, %s},\n", lit, base, cpp(strconv.FormatInt(v, base)),
				cpp(strconv.FormatUint(uint64(v), base)))
		}
	}
}

func quoteCases() {
	inputs := []string{
		"", "abc", "\a\b\f\r\n\t\v", "\\", "\"", "'", "`", "abc\xffdef", "\u263a", "\U0010ffff",
		"\x04", "\x7f", "\u00ad", "\u00a0", "\u2028", "\u3000", "\ufeff", "\u0300", "\U0001F600",
		"日本語", "\xe2\x98", "a\x00b", "tab\there", "\u2060", "!\u00a0!\u2000!\u3000!",
		"Hello, 世界", "\xed\xa0\x80", "\U000e0100",
	}
	// The inputs get an sv suffix: they may hold NUL bytes.
	fmt.Println("// {in, Quote, QuoteToASCII, QuoteToGraphic, CanBackquote}")
	for _, s := range inputs {
		fmt.Printf("    {%ssv, %s, %s, %s, %v},\n", cpp(s), cpp(strconv.Quote(s)), cpp(strconv.QuoteToASCII(s)),
			cpp(strconv.QuoteToGraphic(s)), strconv.CanBackquote(s))
	}
	runes := []rune{'a', '\a', '\\', '\'', '"', 0, 0x7f, 0xad, 0xa0, 0x263a, 0xfffd, 0x10ffff, 0x110000, -1,
		0xd800, 0x2028, 0x3000, 0x1f600, 0x0300, 0xe0100}
	fmt.Println("// {rune, QuoteRune, QuoteRuneToASCII, QuoteRuneToGraphic}")
	for _, r := range runes {
		fmt.Printf("    {%d, %s, %s, %s},\n", r, cpp(strconv.QuoteRune(r)), cpp(strconv.QuoteRuneToASCII(r)),
			cpp(strconv.QuoteRuneToGraphic(r)))
	}
}

func main() {
	floatCases()
	intCases()
	quoteCases()
}
