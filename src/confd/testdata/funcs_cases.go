//go:build ignore

// Prints the case tables of funcs_test.cc from Go 1.19 itself, so every
// expected output there is what confd's functions produce:
//
//	go run src/confd/testdata/funcs_cases.go funcs > src/confd/testdata/funcs_cases.inc
//	go run src/confd/testdata/funcs_cases.go time > src/confd/testdata/gotime_cases.inc
//	go run src/confd/testdata/funcs_cases.go ip > src/confd/testdata/parse_ip_cases.inc
//
// The functions are confd's (resource/template/template_funcs.go): the
// standard library ones by name, the others as confd defines them.
package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"os"
	"path"
	"strconv"
	"strings"
	"text/template"
	"time"
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

func seq(first, last int) []int {
	var arr []int
	for i := first; i <= last; i++ {
		arr = append(arr, i)
	}
	return arr
}

func getenv(key string, v ...string) string {
	def := ""
	if len(v) > 0 {
		def = v[0]
	}
	if value := os.Getenv(key); value != "" {
		return value
	}
	return def
}

func isFileExist(fpath string) bool {
	if _, err := os.Stat(fpath); os.IsNotExist(err) {
		return false
	}
	return true
}

func createMap(values ...interface{}) (map[string]interface{}, error) {
	if len(values)%2 != 0 {
		return nil, errors.New("invalid map call")
	}
	dict := make(map[string]interface{}, len(values)/2)
	for i := 0; i < len(values); i += 2 {
		key, ok := values[i].(string)
		if !ok {
			return nil, errors.New("map keys must be strings")
		}
		dict[key] = values[i+1]
	}
	return dict, nil
}

func jsonObject(data string) (map[string]interface{}, error) {
	var ret map[string]interface{}
	err := json.Unmarshal([]byte(data), &ret)
	return ret, err
}

func jsonArray(data string) ([]interface{}, error) {
	var ret []interface{}
	err := json.Unmarshal([]byte(data), &ret)
	return ret, err
}

// The templates; funcs_test.cc sets the same BERTH_TEST_* variables.
var templates = []string{
	"{{split \"a,b,c\" \",\"}}",
	"{{split \"a,b,c\" \"\"}}",
	"{{split \"\" \",\"}}",
	"{{split \"abc\" \",\"}}",
	"{{split \",a,\" \",\"}}",
	"{{split \"a::b::\" \"::\"}}",
	"{{split \"héllo\" \"\"}}",
	"{{len (split \"\" \",\")}}",
	"{{len (split \"\" \"\")}}",
	"{{replace \"aaa\" \"a\" \"b\" -1}}",
	"{{replace \"aaa\" \"a\" \"b\" 2}}",
	"{{replace \"aaa\" \"a\" \"b\" 0}}",
	"{{replace \"abc\" \"\" \"-\" -1}}",
	"{{replace \"héllo\" \"\" \"|\" 3}}",
	"{{replace \"abc\" \"x\" \"y\" -1}}",
	"{{replace \"abab\" \"ab\" \"\" -1}}",
	"{{trimSuffix \"file.conf\" \".conf\"}}",
	"{{trimSuffix \"file.conf\" \".txt\"}}",
	"{{trimSuffix \"file.conf.conf\" \".conf\"}}",
	"{{trimSuffix \"abc\" \"\"}}",
	"{{trimSuffix \"\" \"x\"}}",
	"{{join (split \"a,b,c\" \",\") \"-\"}}",
	"{{join (split \"\" \",\") \"-\"}}",
	"{{join (split \"a\" \",\") \", \"}}",
	"{{base \"/app/servers/web1\"}}",
	"{{base \"/app/servers/\"}}",
	"{{base \"\"}}",
	"{{dir \"/app/servers/web1\"}}",
	"{{dir \"web1\"}}",
	"{{dir \"\"}}",
	"{{toUpper \"héllo ß\"}}",
	"{{toLower \"HÉLLO İ\"}}",
	"{{contains \"haproxy\" \"prox\"}}",
	"{{contains \"haproxy\" \"\"}}",
	"{{base64Encode \"hello\"}}",
	"{{base64Encode \"\"}}",
	"{{base64Encode \"a\"}}",
	"{{base64Encode \"ab\"}}",
	"{{base64Decode \"aGVsbG8=\"}}",
	"{{base64Decode \"aGVs\\nbG8=\"}}",
	"{{base64Decode \"aGVs\\r\\nbG8=\\n\"}}",
	"{{base64Decode \"\"}}",
	"{{base64Decode \"aGVsbG8\"}}",
	"{{base64Decode \"aGVsbG8==\"}}",
	"{{base64Decode \"a\"}}",
	"{{base64Decode \"!!!!\"}}",
	"{{base64Decode \"aGV sbG8=\"}}",
	"{{base64Decode \"YQ==\"}}",
	"{{base64Decode \"YQ=\"}}",
	"{{base64Decode \"YQ==YQ==\"}}",
	"{{base64Decode \"YWI=\"}}",
	"{{base64Decode \"YW==\"}}",
	"{{atoi \"42\"}}",
	"{{atoi \"-42\"}}",
	"{{atoi \"+7\"}}",
	"{{atoi \"0x10\"}}",
	"{{atoi \"\"}}",
	"{{atoi \"4 2\"}}",
	"{{atoi \"99999999999999999999\"}}",
	"{{atoi \"1_000\"}}",
	"{{parseBool \"true\"}}",
	"{{parseBool \"T\"}}",
	"{{parseBool \"0\"}}",
	"{{parseBool \"FALSE\"}}",
	"{{parseBool \"yes\"}}",
	"{{parseBool \"\"}}",
	"{{add 1 2}}",
	"{{add 9223372036854775807 1}}",
	"{{sub -9223372036854775808 1}}",
	"{{mul 4611686018427387904 2}}",
	"{{mul 3 -4}}",
	"{{div 7 2}}",
	"{{div -7 2}}",
	"{{mod -7 2}}",
	"{{mod 7 -2}}",
	"{{div 1 0}}",
	"{{mod 1 0}}",
	"{{div -9223372036854775808 -1}}",
	"{{mod -9223372036854775808 -1}}",
	"{{seq 1 3}}",
	"{{seq 3 3}}",
	"{{seq 3 1}}",
	"{{seq -2 0}}",
	"{{len (seq 3 1)}}",
	"{{if seq 3 1}}non-empty{{else}}empty{{end}}",
	"{{range seq 1 3}}{{.}},{{end}}",
	"{{printf \"%#v\" (seq 3 1)}}",
	"{{printf \"%#v\" (seq 1 2)}}",
	"{{printf \"%#v\" (split \"\" \",\")}}",
	"{{printf \"%#v\" (jsonArray \"null\")}}",
	"{{printf \"%#v\" (json \"null\")}}",
	"{{getenv \"BERTH_TEST_SET\"}}",
	"{{getenv \"BERTH_TEST_SET\" \"dflt\"}}",
	"{{getenv \"BERTH_TEST_EMPTY\" \"dflt\"}}",
	"{{getenv \"BERTH_TEST_UNSET\" \"dflt\"}}",
	"{{getenv \"BERTH_TEST_UNSET\"}}|",
	"{{getenv \"BERTH_TEST_UNSET\" \"a\" \"b\"}}",
	"{{fileExists \"/etc/passwd\"}}",
	"{{fileExists \"/etc/passwd/\"}}",
	"{{fileExists \"/etc/passwd/x\"}}",
	"{{fileExists \"/nonexistent/berth\"}}",
	"{{fileExists \"\"}}",
	"{{fileExists \"/\"}}",
	"{{$m := map \"a\" 1 \"b\" \"two\"}}{{$m.a}} {{$m.b}} {{len $m}}",
	"{{map \"a\"}}",
	"{{map 1 2}}",
	"{{map}}",
	"{{json `{\"a\": 1, \"b\": [true, null, \"x\"], \"c\": {\"d\": 1.5}}`}}",
	"{{index (json `{\"n\": -0}`) \"n\"}}",
	"{{index (json `{\"n\": 1e100}`) \"n\"}}",
	"{{index (json `{\"n\": 12345678}`) \"n\"}}",
	"{{index (json `{\"n\": 123456789012345678901234567890}`) \"n\"}}",
	"{{index (json `{\"n\": 0.1}`) \"n\"}}",
	"{{index (json `{\"n\": 1.0}`) \"n\"}}",
	"{{index (json `{\"n\": -1.5e-7}`) \"n\"}}",
	"{{index (json `{\"s\": \"\\ud83d\\ude00\"}`) \"s\"}}",
	"{{index (json `{\"s\": \"\\ud800x\"}`) \"s\"}}",
	"{{index (json `{\"s\": \"\\u00e9\\n\\t\\\"\\\\\\/\"}`) \"s\"}}",
	"{{index (json `{\"a\": 1, \"a\": 2}`) \"a\"}}",
	"{{json \"null\"}}",
	"{{json \"{}\"}}",
	"{{json \"{\"}}",
	"{{json \"\"}}",
	"{{json \"[1]\"}}",
	"{{json \"x\"}}",
	"{{json `{\"a\":1} x`}}",
	"{{json `{\"a\":01}`}}",
	"{{json `{\"a\":1,}`}}",
	"{{json `{'a':1}`}}",
	"{{json `{\"a\":\"\\x\"}`}}",
	"{{json `{\"a\":1e}`}}",
	"{{json \"\\\"str\\\"\"}}",
	"{{json \"1\"}}",
	"{{jsonArray `[1, \"a\", [2], {\"k\": \"v\"}, null, false]`}}",
	"{{jsonArray \"null\"}}",
	"{{jsonArray \"[]\"}}",
	"{{jsonArray \"{}\"}}",
	"{{jsonArray \"[\"}}",
	"{{jsonArray `[1 2]`}}",
	"{{len (jsonArray `[1,2,3]`)}}",
}

func funcCases() {
	os.Setenv("BERTH_TEST_SET", "value")
	os.Setenv("BERTH_TEST_EMPTY", "")
	os.Unsetenv("BERTH_TEST_UNSET")
	fm := template.FuncMap{
		"split": strings.Split, "replace": strings.Replace, "trimSuffix": strings.TrimSuffix,
		"join": strings.Join, "base": path.Base, "dir": path.Dir,
		"toUpper": strings.ToUpper, "toLower": strings.ToLower, "contains": strings.Contains,
		"base64Encode": func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) },
		"base64Decode": func(s string) (string, error) {
			b, err := base64.StdEncoding.DecodeString(s)
			return string(b), err
		},
		"atoi": strconv.Atoi, "parseBool": strconv.ParseBool,
		"add": func(a, b int) int { return a + b },
		"sub": func(a, b int) int { return a - b },
		"div": func(a, b int) int { return a / b },
		"mod": func(a, b int) int { return a % b },
		"mul": func(a, b int) int { return a * b },
		"seq": seq, "getenv": getenv, "fileExists": isFileExist, "map": createMap,
		"json": jsonObject, "jsonArray": jsonArray,
	}
	for _, text := range templates {
		t, err := template.New("t").Funcs(fm).Parse(text)
		var out strings.Builder
		if err == nil {
			err = t.Execute(&out, nil)
		}
		if err != nil {
			fmt.Printf("{%s, %s, false},\n", cpp(text), cpp(err.Error()))
		} else {
			fmt.Printf("{%s, %s, true},\n", cpp(text), cpp(out.String()))
		}
	}
}

func timeCases() {
	times := []time.Time{
		time.Date(2009, 11, 10, 23, 4, 5, 123456789, time.UTC),
		time.Date(2024, 2, 29, 1, 2, 3, 500, time.UTC),
		time.Date(1969, 12, 31, 12, 59, 59, 900000000, time.UTC),
		time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	layouts := []string{
		time.ANSIC, time.UnixDate, time.RubyDate, time.RFC822, time.RFC822Z, time.RFC850,
		time.RFC1123, time.RFC1123Z, time.RFC3339, time.RFC3339Nano, time.Kitchen, time.Stamp,
		time.StampMilli, time.StampMicro, time.StampNano,
		"2006-01-02", "2006-01-02 15:04:05", "Jan _2", "15:04:05.000", ".999", ".000000",
		"15:04:05,000", "05.9", "05.99999", "Z07:00", "Z0700", "Z07", "-0700", "-07:00", "-07",
		"MST", "Monday Mon January Jan", "__2 002", "PM pm", "3 03 4 04 5 05 15", "06 2006",
		"1 01 2 02 _2", "literal text", "", "2006-01-02T15:04:05.999999999Z07:00",
		"Mon, 02 Jan 2006",
	}
	fmt.Println("// X-macro rows: GOTIME_FORMAT_CASE(unix seconds, nanoseconds, layout, t.Format(layout)),")
	fmt.Println("// GOTIME_STRING_CASE(unix seconds, nanoseconds, t.String()), GOTIME_DURATION_CASE(d, d.String()).")
	for _, t := range times {
		for _, l := range layouts {
			fmt.Printf("GOTIME_FORMAT_CASE(%d, %d, %s, %s)\n", t.Unix(), t.Nanosecond(), cpp(l), cpp(t.Format(l)))
		}
		fmt.Printf("GOTIME_STRING_CASE(%d, %d, %s)\n", t.Unix(), t.Nanosecond(), cpp(t.String()))
	}
	for _, d := range []int64{0, 1, 999, 1000, 1500, 1000000, 1500000, 1000000000, 1500000000,
		60000000000, 3600000000000, 3661500000000, -1, -1500000000, math.MinInt64, math.MaxInt64,
		360000000000000, 59999999999, 100} {
		lit := fmt.Sprintf("%dLL", d)
		if d == math.MinInt64 {
			lit = "INT64_MIN" // -9223372036854775808LL does not parse as one literal
		}
		fmt.Printf("GOTIME_DURATION_CASE(%s, %s)\n", lit, cpp(time.Duration(d).String()))
	}
}

func ipCases() {
	for _, s := range []string{"127.0.0.1", "0.0.0.0", "255.255.255.255", "::1", "::",
		"::ffff:1.2.3.4", "::ffff:0102:0304", "::ffff:0.0.0.0", "2001:db8::1",
		"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8:0:0:1:0:0:1", "2001:db8:0:1:0:0:0:1",
		"1:0:0:0:0:0:0:0", "0:0:0:0:0:0:0:1", "1:2:3:4:5:6:7:8", "1:0:3:4:5:6:7:8", "FE80::ABCD",
		"::1.2.3.4", "64:ff9b::192.0.2.33", "fe80::1%eth0", "01.2.3.4", "1.2.3.04", "256.1.1.1",
		"1.2.3", "1.2.3.4.5", "", "abc", "::ffff:01.2.3.4", "1::2::3", "1.2.3.4:80", "[::1]",
		"12345::", "1:2:3:4:5:6:7:8:9", " 1.2.3.4", "1.2.3.-4", "0x1.2.3.4"} {
		if ip := net.ParseIP(s); ip == nil {
			fmt.Printf("PARSE_IP_CASE(%s, nullptr)\n", cpp(s))
		} else {
			fmt.Printf("PARSE_IP_CASE(%s, %s)\n", cpp(s), cpp(ip.String()))
		}
	}
}

func main() {
	switch {
	case len(os.Args) > 1 && os.Args[1] == "time":
		timeCases()
	case len(os.Args) > 1 && os.Args[1] == "ip":
		ipCases()
	default:
		funcCases()
	}
}
