#include "confd/gotime.h"

#include <time.h>

#include <algorithm>
#include <array>
#include <memory>

namespace berth::confd::gotime {
namespace {

using tmpl::Kind;
using tmpl::Method;
using tmpl::Signature;
using tmpl::Type;
using tmpl::Value;
namespace types = tmpl::types;
using Args = std::span<const Value>;

constexpr int64_t kNanosPerSecond = 1'000'000'000;

constexpr std::array<std::string_view, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kDayNames = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                       "Thursday", "Friday", "Saturday"};

int64_t MonotonicNow() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * kNanosPerSecond + ts.tv_nsec;
}

// Go reports monotonic readings relative to process start.
const int64_t kProcessStart = MonotonicNow();

// Days since 1970-01-01 of a proleptic Gregorian date (any month/day, which
// are normalised as Go's time.Date normalises them).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  // Normalise the month into [1, 12].
  int64_t m0 = m - 1;
  y += m0 / 12;
  m0 %= 12;
  if (m0 < 0) {
    m0 += 12;
    --y;
  }
  m = m0 + 1;
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468 + (d - 1);
}

struct Civil {
  int64_t year;
  int month, day, yday;  // yday 1-based
  int hour, min, sec;
  int weekday;  // 0 = Sunday
};

Civil CivilFromSeconds(int64_t s) {
  int64_t days = s / 86400, rem = s % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  Civil c{};
  c.hour = static_cast<int>(rem / 3600);
  c.min = static_cast<int>(rem % 3600 / 60);
  c.sec = static_cast<int>(rem % 60);
  c.weekday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = yoe + era * 400 + (c.month <= 2);
  c.yday = static_cast<int>(days - DaysFromCivil(c.year, 1, 1) + 1);
  return c;
}

struct Zone {
  std::string name;
  int64_t offset;  // seconds east of UTC
};

Zone ZoneOf(const Time& t) {
  if (t.utc) return {"UTC", 0};
  time_t tt = static_cast<time_t>(t.sec);
  struct tm tm {};
  localtime_r(&tt, &tm);
  return {tm.tm_zone ? tm.tm_zone : "", tm.tm_gmtoff};
}

void AppendInt(std::string* b, int64_t x, int width) {
  uint64_t u = static_cast<uint64_t>(x);
  if (x < 0) {
    b->push_back('-');
    u = -u;
  }
  char buf[20];
  int i = 20;
  do {
    buf[--i] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u > 0);
  for (int w = 20 - i; w < width; ++w) b->push_back('0');
  b->append(buf + i, 20 - i);
}

// Layout elements (Go's std* constants, without the bit flags).
enum Std {
  kNone,
  kLongMonth,
  kMonth,
  kNumMonth,
  kZeroMonth,
  kLongWeekDay,
  kWeekDay,
  kDay,
  kUnderDay,
  kZeroDay,
  kUnderYearDay,
  kZeroYearDay,
  kHour,
  kHour12,
  kZeroHour12,
  kMinute,
  kZeroMinute,
  kSecond,
  kZeroSecond,
  kLongYear,
  kYear,
  kPM,
  kpm,
  kTZ,
  kISO8601TZ,
  kISO8601SecondsTZ,
  kISO8601ShortTZ,
  kISO8601ColonTZ,
  kISO8601ColonSecondsTZ,
  kNumTZ,
  kNumSecondsTz,
  kNumShortTZ,
  kNumColonTZ,
  kNumColonSecondsTZ,
  kFracSecond0,
  kFracSecond9,
};

struct Chunk {
  std::string_view prefix;
  Std std = kNone;
  int frac_digits = 0;
  char frac_sep = '.';
  std::string_view suffix;
};

bool StartsWithLower(std::string_view s) { return !s.empty() && s[0] >= 'a' && s[0] <= 'z'; }
bool HasAt(std::string_view s, size_t i, std::string_view w) { return s.substr(i, w.size()) == w; }

// Go's nextStdChunk: the text before the first layout element, the element,
// and the rest.
Chunk NextChunk(std::string_view layout) {
  for (size_t i = 0; i < layout.size(); ++i) {
    auto cut = [&](Std std, size_t len) {
      return Chunk{layout.substr(0, i), std, 0, '.', layout.substr(i + len)};
    };
    switch (layout[i]) {
      case 'J':
        if (HasAt(layout, i, "Jan")) {
          if (HasAt(layout, i, "January")) return cut(kLongMonth, 7);
          if (!StartsWithLower(layout.substr(i + 3))) return cut(kMonth, 3);
        }
        break;
      case 'M':
        if (HasAt(layout, i, "Mon")) {
          if (HasAt(layout, i, "Monday")) return cut(kLongWeekDay, 6);
          if (!StartsWithLower(layout.substr(i + 3))) return cut(kWeekDay, 3);
        }
        if (HasAt(layout, i, "MST")) return cut(kTZ, 3);
        break;
      case '0':
        if (i + 1 < layout.size() && layout[i + 1] >= '1' && layout[i + 1] <= '6') {
          static constexpr Std kZeroX[] = {kZeroMonth,  kZeroDay,    kZeroHour12,
                                           kZeroMinute, kZeroSecond, kYear};
          return cut(kZeroX[layout[i + 1] - '1'], 2);
        }
        if (HasAt(layout, i, "002")) return cut(kZeroYearDay, 3);
        break;
      case '1':
        if (HasAt(layout, i, "15")) return cut(kHour, 2);
        return cut(kNumMonth, 1);
      case '2':
        if (HasAt(layout, i, "2006")) return cut(kLongYear, 4);
        return cut(kDay, 1);
      case '_':
        if (HasAt(layout, i, "_2")) {
          if (HasAt(layout, i + 1, "2006")) {
            return Chunk{layout.substr(0, i + 1), kLongYear, 0, '.', layout.substr(i + 5)};
          }
          return cut(kUnderDay, 2);
        }
        if (HasAt(layout, i, "__2")) return cut(kUnderYearDay, 3);
        break;
      case '3':
        return cut(kHour12, 1);
      case '4':
        return cut(kMinute, 1);
      case '5':
        return cut(kSecond, 1);
      case 'P':
        if (HasAt(layout, i, "PM")) return cut(kPM, 2);
        break;
      case 'p':
        if (HasAt(layout, i, "pm")) return cut(kpm, 2);
        break;
      case '-':
        if (HasAt(layout, i, "-070000")) return cut(kNumSecondsTz, 7);
        if (HasAt(layout, i, "-07:00:00")) return cut(kNumColonSecondsTZ, 9);
        if (HasAt(layout, i, "-0700")) return cut(kNumTZ, 5);
        if (HasAt(layout, i, "-07:00")) return cut(kNumColonTZ, 6);
        if (HasAt(layout, i, "-07")) return cut(kNumShortTZ, 3);
        break;
      case 'Z':
        if (HasAt(layout, i, "Z070000")) return cut(kISO8601SecondsTZ, 7);
        if (HasAt(layout, i, "Z07:00:00")) return cut(kISO8601ColonSecondsTZ, 9);
        if (HasAt(layout, i, "Z0700")) return cut(kISO8601TZ, 5);
        if (HasAt(layout, i, "Z07:00")) return cut(kISO8601ColonTZ, 6);
        if (HasAt(layout, i, "Z07")) return cut(kISO8601ShortTZ, 3);
        break;
      case '.':
      case ',':
        if (i + 1 < layout.size() && (layout[i + 1] == '0' || layout[i + 1] == '9')) {
          const char ch = layout[i + 1];
          size_t j = i + 1;
          while (j < layout.size() && layout[j] == ch) ++j;
          // The run of digits must end here: only a fraction is all digits.
          if (!(j < layout.size() && layout[j] >= '0' && layout[j] <= '9')) {
            Chunk c{layout.substr(0, i), ch == '0' ? kFracSecond0 : kFracSecond9,
                    static_cast<int>(j - (i + 1)), layout[i], layout.substr(j)};
            return c;
          }
        }
        break;
      default:
        break;
    }
  }
  return Chunk{layout, kNone, 0, '.', {}};
}

void AppendFrac(std::string* b, int32_t nsec, const Chunk& c) {
  char buf[9];
  uint32_t u = static_cast<uint32_t>(nsec);
  for (int i = 8; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + u % 10);
    u /= 10;
  }
  int n = std::min(c.frac_digits, 9);
  if (c.std == kFracSecond9) {
    while (n > 0 && buf[n - 1] == '0') --n;
    if (n == 0) return;
  }
  b->push_back(c.frac_sep);
  b->append(buf, n);
}

const Time& TimeOf(const Value& v) { return *v.opaque<Time>(); }

Value MakeTime(Time t) { return FromTime(t); }

Value MakeInt(int64_t v) { return Value::Int(v); }

Time AddNanos(Time t, int64_t d) {
  int64_t sec = t.sec + d / kNanosPerSecond;
  int64_t nsec = t.nsec + d % kNanosPerSecond;
  if (nsec >= kNanosPerSecond) {
    ++sec;
    nsec -= kNanosPerSecond;
  } else if (nsec < 0) {
    --sec;
    nsec += kNanosPerSecond;
  }
  t.sec = sec;
  t.nsec = static_cast<int32_t>(nsec);
  if (t.has_mono) t.mono += d;
  return t;
}

int64_t SubNanos(const Time& a, const Time& b) {
  if (a.has_mono && b.has_mono) return a.mono - b.mono;
  return (a.sec - b.sec) * kNanosPerSecond + (a.nsec - b.nsec);
}

int Compare(const Time& a, const Time& b) {
  if (a.has_mono && b.has_mono) return a.mono < b.mono ? -1 : a.mono > b.mono ? 1 : 0;
  if (a.sec != b.sec) return a.sec < b.sec ? -1 : 1;
  return a.nsec < b.nsec ? -1 : a.nsec > b.nsec ? 1 : 0;
}

Civil CivilOf(const Time& t) { return CivilFromSeconds(t.sec + ZoneOf(t).offset); }

// ---- named types with String methods ----

std::string MonthString(const Value& v) {
  const int64_t m = v.int_value();
  if (m >= 1 && m <= 12) return std::string(kMonthNames[m - 1]);
  return "%!Month(" + std::to_string(m) + ")";
}
std::string WeekdayString(const Value& v) {
  const int64_t d = v.int_value();
  if (d >= 0 && d <= 6) return std::string(kDayNames[d]);
  return "%!Weekday(" + std::to_string(d) + ")";
}
std::string DurationStringOf(const Value& v) { return DurationString(v.int_value()); }
std::string LocationString(const Value& v) { return *v.Elem().opaque<std::string>(); }
std::string TimeStringOf(const Value& v) { return String(TimeOf(v)); }
std::string TimeGoString(const Value& v) {
  const Time& t = TimeOf(v);
  const Civil c = CivilOf(t);
  std::string s = "time.Date(";
  AppendInt(&s, c.year, 0);
  s += ", time.";
  s += kMonthNames[c.month - 1];
  for (int64_t x :
       {static_cast<int64_t>(c.day), static_cast<int64_t>(c.hour), static_cast<int64_t>(c.min),
        static_cast<int64_t>(c.sec), static_cast<int64_t>(t.nsec)}) {
    s += ", ";
    AppendInt(&s, x, 0);
  }
  s += t.utc ? ", time.UTC)" : ", time.Local)";
  return s;
}

Type MakeNamedInt(std::string_view name, Kind kind, std::string (*stringer)(const Value&)) {
  Type t;
  t.kind = kind;
  t.name = name;
  t.named = true;
  t.stringer = stringer;
  return t;
}

Value LocationValue(bool utc) {
  static const Type kLocationStruct = [] {
    Type t;
    t.kind = Kind::kStruct;
    t.name = "time.Location";
    t.named = true;
    return t;
  }();
  static const Value kUtc = Value::Pointer(
      LocationType(), Value::Opaque(&kLocationStruct, std::make_shared<const std::string>("UTC")));
  static const Value kLocal =
      Value::Pointer(LocationType(),
                     Value::Opaque(&kLocationStruct, std::make_shared<const std::string>("Local")));
  return utc ? kUtc : kLocal;
}

Method M(std::string_view name, std::vector<const Type*> params, const Type* result,
         tmpl::NativeFn fn) {
  return Method{name,
                tmpl::Func{Signature{std::move(params), false, result, false}, std::move(fn)}};
}

std::vector<Method> TimeMethods(const Type* tt) {
  const Type* dur = DurationType();
  std::vector<Method> m;
  m.push_back(M("Add", {dur}, tt, [](Args a) -> Result<Value> {
    return MakeTime(AddNanos(TimeOf(a[0]), a[1].int_value()));
  }));
  m.push_back(
      M("AddDate", {types::Int(), types::Int(), types::Int()}, tt, [](Args a) -> Result<Value> {
        const Time& t = TimeOf(a[0]);
        const Zone z = ZoneOf(t);
        const Civil c = CivilFromSeconds(t.sec + z.offset);
        const int64_t days = DaysFromCivil(c.year + a[1].int_value(), c.month + a[2].int_value(),
                                           c.day + a[3].int_value());
        Time r = t;
        r.has_mono = false;
        const int64_t local = days * 86400 + c.hour * 3600 + c.min * 60 + c.sec;
        r.sec = local - z.offset;
        // The zone offset may differ on the new date (DST).
        if (!r.utc) r.sec = local - ZoneOf(r).offset;
        return MakeTime(r);
      }));
  m.push_back(M("After", {tt}, types::Bool(), [](Args a) -> Result<Value> {
    return Value::Bool(Compare(TimeOf(a[0]), TimeOf(a[1])) > 0);
  }));
  m.push_back(M("Before", {tt}, types::Bool(), [](Args a) -> Result<Value> {
    return Value::Bool(Compare(TimeOf(a[0]), TimeOf(a[1])) < 0);
  }));
  m.push_back(M("Day", {}, types::Int(),
                [](Args a) -> Result<Value> { return MakeInt(CivilOf(TimeOf(a[0])).day); }));
  m.push_back(M("Equal", {tt}, types::Bool(), [](Args a) -> Result<Value> {
    return Value::Bool(Compare(TimeOf(a[0]), TimeOf(a[1])) == 0);
  }));
  m.push_back(M("Format", {types::String()}, types::String(), [](Args a) -> Result<Value> {
    return Value::String(Format(TimeOf(a[0]), a[1].string_value()));
  }));
  m.push_back(M("Hour", {}, types::Int(),
                [](Args a) -> Result<Value> { return MakeInt(CivilOf(TimeOf(a[0])).hour); }));
  m.push_back(M("IsZero", {}, types::Bool(), [](Args a) -> Result<Value> {
    const Time& t = TimeOf(a[0]);
    // The zero Time is January 1, year 1, 00:00:00 UTC.
    return Value::Bool(t.sec == -62135596800 && t.nsec == 0);
  }));
  m.push_back(M("Local", {}, tt, [](Args a) -> Result<Value> {
    Time t = TimeOf(a[0]);
    t.utc = false;
    return MakeTime(t);
  }));
  m.push_back(M("Location", {}, LocationType(),
                [](Args a) -> Result<Value> { return LocationValue(TimeOf(a[0]).utc); }));
  m.push_back(M("Minute", {}, types::Int(),
                [](Args a) -> Result<Value> { return MakeInt(CivilOf(TimeOf(a[0])).min); }));
  m.push_back(M("Month", {}, MonthType(), [](Args a) -> Result<Value> {
    return Value::OfInt(MonthType(), CivilOf(TimeOf(a[0])).month);
  }));
  m.push_back(M("Nanosecond", {}, types::Int(),
                [](Args a) -> Result<Value> { return MakeInt(TimeOf(a[0]).nsec); }));
  m.push_back(M("Second", {}, types::Int(),
                [](Args a) -> Result<Value> { return MakeInt(CivilOf(TimeOf(a[0])).sec); }));
  m.push_back(M("String", {}, types::String(),
                [](Args a) -> Result<Value> { return Value::String(String(TimeOf(a[0]))); }));
  m.push_back(M("Sub", {tt}, dur, [](Args a) -> Result<Value> {
    return Value::OfInt(DurationType(), SubNanos(TimeOf(a[0]), TimeOf(a[1])));
  }));
  m.push_back(M("UTC", {}, tt, [](Args a) -> Result<Value> {
    Time t = TimeOf(a[0]);
    t.utc = true;
    t.has_mono = false;
    return MakeTime(t);
  }));
  m.push_back(M("Unix", {}, types::Int64(), [](Args a) -> Result<Value> {
    return Value::OfInt(types::Int64(), TimeOf(a[0]).sec);
  }));
  m.push_back(M("UnixMicro", {}, types::Int64(), [](Args a) -> Result<Value> {
    const Time& t = TimeOf(a[0]);
    return Value::OfInt(types::Int64(), t.sec * 1'000'000 + t.nsec / 1000);
  }));
  m.push_back(M("UnixMilli", {}, types::Int64(), [](Args a) -> Result<Value> {
    const Time& t = TimeOf(a[0]);
    return Value::OfInt(types::Int64(), t.sec * 1000 + t.nsec / 1'000'000);
  }));
  m.push_back(M("UnixNano", {}, types::Int64(), [](Args a) -> Result<Value> {
    const Time& t = TimeOf(a[0]);
    return Value::OfInt(types::Int64(), t.sec * kNanosPerSecond + t.nsec);
  }));
  m.push_back(M("Weekday", {}, WeekdayType(), [](Args a) -> Result<Value> {
    return Value::OfInt(WeekdayType(), CivilOf(TimeOf(a[0])).weekday);
  }));
  m.push_back(M("Year", {}, types::Int(),
                [](Args a) -> Result<Value> { return MakeInt(CivilOf(TimeOf(a[0])).year); }));
  m.push_back(M("YearDay", {}, types::Int(),
                [](Args a) -> Result<Value> { return MakeInt(CivilOf(TimeOf(a[0])).yday); }));
  std::sort(m.begin(), m.end(), [](const Method& x, const Method& y) { return x.name < y.name; });
  return m;
}

}  // namespace

const Type* MonthType() {
  static const Type t = MakeNamedInt("time.Month", Kind::kInt, MonthString);
  return &t;
}
const Type* WeekdayType() {
  static const Type t = MakeNamedInt("time.Weekday", Kind::kInt, WeekdayString);
  return &t;
}
const Type* DurationType() {
  static const Type t = MakeNamedInt("time.Duration", Kind::kInt64, DurationStringOf);
  return &t;
}
const Type* LocationType() {
  static const Type t = [] {
    Type t;
    t.kind = Kind::kPointer;
    t.name = "*time.Location";
    t.stringer = LocationString;
    t.methods.push_back(M("String", {}, types::String(), [](Args a) -> Result<Value> {
      return Value::String(LocationString(a[0]));
    }));
    return t;
  }();
  return &t;
}
const Type* TimeType() {
  static Type t = [] {
    Type t;
    t.kind = Kind::kStruct;
    t.name = "time.Time";
    t.named = true;
    t.stringer = TimeStringOf;
    t.gostringer = TimeGoString;
    return t;
  }();
  // Methods refer to TimeType() itself, so they are added after it exists.
  static const bool methods_added = [] {
    t.methods = TimeMethods(&t);
    return true;
  }();
  (void)methods_added;
  return &t;
}

Value FromTime(const Time& t) { return Value::Opaque(TimeType(), std::make_shared<const Time>(t)); }

Value Now() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  Time t;
  t.sec = ts.tv_sec;
  t.nsec = static_cast<int32_t>(ts.tv_nsec);
  t.has_mono = true;
  t.mono = MonotonicNow() - kProcessStart;
  return FromTime(t);
}

std::string Format(const Time& t, std::string_view layout) {
  const Zone zone = ZoneOf(t);
  const Civil c = CivilFromSeconds(t.sec + zone.offset);
  std::string b;
  while (!layout.empty()) {
    Chunk ch = NextChunk(layout);
    b.append(ch.prefix);
    if (ch.std == kNone) break;
    layout = ch.suffix;
    switch (ch.std) {
      case kYear:
        AppendInt(&b, (c.year < 0 ? -c.year : c.year) % 100, 2);
        break;
      case kLongYear:
        AppendInt(&b, c.year, 4);
        break;
      case kMonth:
        b.append(kMonthNames[c.month - 1].substr(0, 3));
        break;
      case kLongMonth:
        b.append(kMonthNames[c.month - 1]);
        break;
      case kNumMonth:
        AppendInt(&b, c.month, 0);
        break;
      case kZeroMonth:
        AppendInt(&b, c.month, 2);
        break;
      case kWeekDay:
        b.append(kDayNames[c.weekday].substr(0, 3));
        break;
      case kLongWeekDay:
        b.append(kDayNames[c.weekday]);
        break;
      case kDay:
        AppendInt(&b, c.day, 0);
        break;
      case kUnderDay:
        if (c.day < 10) b.push_back(' ');
        AppendInt(&b, c.day, 0);
        break;
      case kZeroDay:
        AppendInt(&b, c.day, 2);
        break;
      case kUnderYearDay:
        if (c.yday < 100) {
          b.push_back(' ');
          if (c.yday < 10) b.push_back(' ');
        }
        AppendInt(&b, c.yday, 0);
        break;
      case kZeroYearDay:
        AppendInt(&b, c.yday, 3);
        break;
      case kHour:
        AppendInt(&b, c.hour, 2);
        break;
      case kHour12:
      case kZeroHour12: {
        int hr = c.hour % 12;
        if (hr == 0) hr = 12;
        AppendInt(&b, hr, ch.std == kHour12 ? 0 : 2);
        break;
      }
      case kMinute:
        AppendInt(&b, c.min, 0);
        break;
      case kZeroMinute:
        AppendInt(&b, c.min, 2);
        break;
      case kSecond:
        AppendInt(&b, c.sec, 0);
        break;
      case kZeroSecond:
        AppendInt(&b, c.sec, 2);
        break;
      case kPM:
        b.append(c.hour >= 12 ? "PM" : "AM");
        break;
      case kpm:
        b.append(c.hour >= 12 ? "pm" : "am");
        break;
      case kISO8601TZ:
      case kISO8601ColonTZ:
      case kISO8601SecondsTZ:
      case kISO8601ShortTZ:
      case kISO8601ColonSecondsTZ:
      case kNumTZ:
      case kNumColonTZ:
      case kNumSecondsTz:
      case kNumShortTZ:
      case kNumColonSecondsTZ: {
        const bool iso = ch.std == kISO8601TZ || ch.std == kISO8601ColonTZ ||
                         ch.std == kISO8601SecondsTZ || ch.std == kISO8601ShortTZ ||
                         ch.std == kISO8601ColonSecondsTZ;
        if (zone.offset == 0 && iso) {
          b.push_back('Z');
          break;
        }
        int64_t minutes = zone.offset / 60;
        int64_t absoffset = zone.offset;
        if (minutes < 0) {
          b.push_back('-');
          minutes = -minutes;
          absoffset = -absoffset;
        } else {
          b.push_back('+');
        }
        AppendInt(&b, minutes / 60, 2);
        const bool colon = ch.std == kISO8601ColonTZ || ch.std == kNumColonTZ ||
                           ch.std == kISO8601ColonSecondsTZ || ch.std == kNumColonSecondsTZ;
        if (colon) b.push_back(':');
        if (ch.std != kNumShortTZ && ch.std != kISO8601ShortTZ) AppendInt(&b, minutes % 60, 2);
        if (ch.std == kISO8601SecondsTZ || ch.std == kNumSecondsTz ||
            ch.std == kNumColonSecondsTZ || ch.std == kISO8601ColonSecondsTZ) {
          if (ch.std == kNumColonSecondsTZ || ch.std == kISO8601ColonSecondsTZ) b.push_back(':');
          AppendInt(&b, absoffset % 60, 2);
        }
        break;
      }
      case kTZ:
        if (!zone.name.empty()) {
          b.append(zone.name);
        } else {
          int64_t minutes = zone.offset / 60;
          if (minutes < 0) {
            b.push_back('-');
            minutes = -minutes;
          } else {
            b.push_back('+');
          }
          AppendInt(&b, minutes / 60, 2);
          AppendInt(&b, minutes % 60, 2);
        }
        break;
      case kFracSecond0:
      case kFracSecond9:
        AppendFrac(&b, t.nsec, ch);
        break;
      case kNone:
        break;
    }
  }
  return b;
}

std::string String(const Time& t) {
  std::string s = Format(t, "2006-01-02 15:04:05.999999999 -0700 MST");
  if (t.has_mono) {
    uint64_t m2 = static_cast<uint64_t>(t.mono);
    char sign = '+';
    if (t.mono < 0) {
      sign = '-';
      m2 = -m2;
    }
    uint64_t m1 = m2 / kNanosPerSecond;
    m2 %= kNanosPerSecond;
    const uint64_t m0 = m1 / kNanosPerSecond;
    m1 %= kNanosPerSecond;
    s += " m=";
    s += sign;
    int wid = 0;
    if (m0 != 0) {
      AppendInt(&s, static_cast<int64_t>(m0), 0);
      wid = 9;
    }
    AppendInt(&s, static_cast<int64_t>(m1), wid);
    s += '.';
    AppendInt(&s, static_cast<int64_t>(m2), 9);
  }
  return s;
}

std::string DurationString(int64_t d) {
  char buf[32];
  int w = sizeof(buf);
  uint64_t u = static_cast<uint64_t>(d);
  const bool neg = d < 0;
  if (neg) u = -u;
  // Writes the fraction of u/10^prec (without trailing zeros) before w.
  auto frac = [&](int prec) {
    bool print = false;
    for (int i = 0; i < prec; ++i) {
      const auto digit = static_cast<char>(u % 10);
      print = print || digit != 0;
      if (print) buf[--w] = static_cast<char>('0' + digit);
      u /= 10;
    }
    if (print) buf[--w] = '.';
  };
  auto integer = [&](uint64_t v) {
    if (v == 0) {
      buf[--w] = '0';
      return;
    }
    while (v > 0) {
      buf[--w] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
  };
  if (u < static_cast<uint64_t>(kNanosPerSecond)) {
    buf[--w] = 's';
    if (u == 0) return "0s";
    int prec;
    if (u < 1000) {
      prec = 0;
      buf[--w] = 'n';
    } else if (u < 1000000) {
      prec = 3;
      buf[--w] = '\xB5';  // U+00B5 micro sign, in UTF-8
      buf[--w] = '\xC2';
    } else {
      prec = 6;
      buf[--w] = 'm';
    }
    frac(prec);
    integer(u);
  } else {
    buf[--w] = 's';
    frac(9);
    integer(u % 60);
    u /= 60;
    if (u > 0) {
      buf[--w] = 'm';
      integer(u % 60);
      u /= 60;
      if (u > 0) {
        buf[--w] = 'h';
        integer(u);
      }
    }
  }
  if (neg) buf[--w] = '-';
  return std::string(buf + w, sizeof(buf) - w);
}

}  // namespace berth::confd::gotime
