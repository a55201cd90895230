// Go's strconv package, reproduced where berth must print or parse exactly as
// Go does: number literals in templates, YAML scalars as go-yaml resolves
// them, and fmt's number and string formatting.  Each function documents the
// Go function it mirrors; behaviour (accepted syntax, rounding, error cases)
// follows Go 1.19.  Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace berth::gostrconv {

// ---- parsing (gostrconv_parse.cc) ----

// Why a parse failed, as Go's *strconv.NumError reports it.
enum class NumError { kNone, kSyntax, kRange };

// "invalid syntax" / "value out of range"
std::string_view NumErrorText(NumError e);

template <typename T>
struct Parsed {
  T value{};
  NumError error = NumError::kNone;
  bool ok() const { return error == NumError::kNone; }
};

// strconv.ParseInt(s, base, bitSize).  base 0 infers from the prefix
// (0x, 0o, 0b, leading 0 for octal) and then allows '_' between digits; on a
// range error value holds the clamped value, as Go's does.
Parsed<int64_t> ParseInt(std::string_view s, int base, int bit_size);
// strconv.ParseUint(s, base, bitSize).
Parsed<uint64_t> ParseUint(std::string_view s, int base, int bit_size);
// strconv.ParseFloat(s, 64): decimal and hexadecimal (0x1p-2) forms, '_'
// separators where Go allows them, "inf"/"infinity"/"nan" in any case with an
// optional sign.  Correctly rounded.  On a range error value is ±Inf (or 0).
Parsed<double> ParseFloat(std::string_view s);
// strconv.Atoi(s): ParseInt(s, 10, 0) with Go's int (64-bit).
Parsed<int64_t> Atoi(std::string_view s);
// strconv.ParseBool: 1 t T TRUE true True 0 f F FALSE false False.
Parsed<bool> ParseBool(std::string_view s);

// strconv.UnquoteChar(s, quote): decodes the first character or escape of s.
struct UnquotedChar {
  int32_t value = 0;   // the rune (or the byte, for \x and octal escapes)
  bool multibyte = false;
  std::string_view tail;
};
std::optional<UnquotedChar> UnquoteChar(std::string_view s, char quote);
// strconv.Unquote: a "double-quoted", `raw` or 'c' literal.  nullopt on
// invalid syntax.
std::optional<std::string> Unquote(std::string_view s);

// ---- formatting (gostrconv_format.cc) ----

// strconv.AppendFloat(dst, f, fmt, prec, bitSize) for fmt in b e E f g G x X;
// prec -1 means the shortest representation that round-trips.
void AppendFloat(std::string* dst, double f, char fmt, int prec, int bit_size);
std::string FormatFloat(double f, char fmt, int prec, int bit_size);
// strconv.FormatInt / FormatUint in base 2..36 (lower-case digits).
void AppendInt(std::string* dst, int64_t i, int base);
void AppendUint(std::string* dst, uint64_t u, int base);
std::string FormatInt(int64_t i, int base);
std::string FormatUint(uint64_t u, int base);
// strconv.Quote, QuoteToASCII, QuoteToGraphic, QuoteRune, QuoteRuneToASCII,
// QuoteRuneToGraphic, CanBackquote.
void AppendQuote(std::string* dst, std::string_view s);
void AppendQuoteToASCII(std::string* dst, std::string_view s);
void AppendQuoteToGraphic(std::string* dst, std::string_view s);
void AppendQuoteRune(std::string* dst, int32_t r);
void AppendQuoteRuneToASCII(std::string* dst, int32_t r);
void AppendQuoteRuneToGraphic(std::string* dst, int32_t r);
std::string Quote(std::string_view s);
bool CanBackquote(std::string_view s);

}  // namespace berth::gostrconv
