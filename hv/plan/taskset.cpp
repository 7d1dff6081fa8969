// The task set text form: `C/T[/D]` items. Every field is a plain decimal number of µs; what
// the config lexer refuses (signs, fractions, leading zeros, overflow) is refused here too.
#include "hv/plan/taskset.hpp"
#include "hv/lib/format.hpp"

namespace rthv::plan {
namespace {

using ull = unsigned long long;

constexpr const char* kFieldNames[] = {"C", "T", "D"};
constexpr uint32_t kWholeText = 3; // an error about no task in particular

class Reader {
public:
    Reader(const char* text, size_t len, TaskSet& out, TaskError& err)
        : s_(text), len_(len), out_(out), err_(err) {}

    bool run() {
        out_ = TaskSet{};
        for (;;) {
            skip_separators();
            if (pos_ == len_) break;
            if (!task()) return false;
        }
        if (out_.count == 0)
            return fail(kWholeText, "no tasks (expected C/T or C/T/D items, in us)");
        return true;
    }

private:
    bool task() {
        if (out_.count == kMaxTasks) return fail(kWholeText, "more than %u tasks", kMaxTasks);
        uint64_t v[3] = {0, 0, 0};
        uint32_t fields = 0;
        for (;;) {
            if (!number(fields, v[fields])) return false;
            ++fields;
            if (pos_ == len_ || s_[pos_] != '/') break;
            if (fields == 3) return fail(2, "a task has at most three fields C/T/D");
            ++pos_;
        }
        if (pos_ < len_ && !separator(s_[pos_]) && s_[pos_] != '#' && s_[pos_] != '\n')
            return fail(fields - 1, "unexpected character '%c'", s_[pos_]);
        if (fields < 2) return fail(1, "a task is C/T or C/T/D (missing period)");
        Task t{v[0], v[1], fields == 3 ? v[2] : v[1]};
        if (t.wcet_us == 0) return fail(0, "WCET must be at least 1 us");
        if (t.period_us > kMaxTimeUs) return fail(1, "period exceeds 2^32 us");
        if (t.deadline_us > t.period_us)
            return fail(2, "deadline %llu exceeds period %llu (only D <= T is analysed)",
                        ull{t.deadline_us}, ull{t.period_us});
        if (t.wcet_us > t.deadline_us)
            return fail(0, "WCET %llu exceeds deadline %llu", ull{t.wcet_us}, ull{t.deadline_us});
        out_.tasks[out_.count++] = t;
        return true;
    }

    bool number(uint32_t field, uint64_t& out) {
        size_t start = pos_;
        out = 0;
        while (pos_ < len_ && s_[pos_] >= '0' && s_[pos_] <= '9') {
            uint64_t digit = static_cast<uint64_t>(s_[pos_] - '0');
            if (out > (~uint64_t{0} - digit) / 10) return fail(field, "number too large");
            out = out * 10 + digit;
            ++pos_;
        }
        if (pos_ == start) return fail(field, "expected a number of us");
        if (pos_ - start > 1 && s_[start] == '0') return fail(field, "leading zero");
        return true;
    }

    static bool separator(char c) { return c == ' ' || c == '\t' || c == ',' || c == '\r'; }

    void skip_separators() {
        while (pos_ < len_) {
            char c = s_[pos_];
            if (c == '\n') {
                ++line_;
            } else if (c == '#') {
                while (pos_ < len_ && s_[pos_] != '\n') ++pos_;
                continue;
            } else if (!separator(c)) {
                return;
            }
            ++pos_;
        }
    }

    bool fail(uint32_t field, const char* fmt, ...) __attribute__((format(printf, 3, 4))) {
        err_.line = line_;
        err_.task = field == kWholeText ? 0 : out_.count + 1;
        char what[96];
        FormatArgs args;
        __builtin_va_start(args, fmt);
        vformat(what, sizeof what, fmt, args);
        __builtin_va_end(args);
        if (field == kWholeText)
            format(err_.text, sizeof err_.text, "line %u: %s", line_, what);
        else
            format(err_.text, sizeof err_.text, "line %u, task %u (field %s): %s", line_, err_.task,
                   kFieldNames[field], what);
        return false;
    }

    const char* s_;
    size_t len_;
    TaskSet& out_;
    TaskError& err_;
    size_t pos_ = 0;
    uint32_t line_ = 1;
};

} // namespace

bool parse_tasks(const char* text, size_t len, TaskSet& out, TaskError& err) {
    err = TaskError{};
    return Reader(text, len, out, err).run();
}

uint64_t utilisation_ppm(const TaskSet& ts) {
    uint64_t sum = 0;
    for (uint32_t i = 0; i < ts.count; ++i)
        sum += (ts.tasks[i].wcet_us * 1000000 + ts.tasks[i].period_us - 1) / ts.tasks[i].period_us;
    return sum;
}

} // namespace rthv::plan
