// Names and CPU lists: the values that need more than a range check.
#include "hv/config/parser.hpp"
#include "hv/lib/format.hpp"

namespace rthv::config::detail {
namespace {

bool name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

// Walks one CPU list, item by item.
class CpuListReader {
public:
    CpuListReader(Text spec, CpuId ncpus, Problem& why) : s_(spec), ncpus_(ncpus), why_(why) {}

    bool read(CpuSet& out) {
        CpuSet include, exclude;
        bool any_include = false;
        for (;;) {
            skip_blanks();
            bool negate = pos_ < s_.len && s_.ptr[pos_] == '^';
            if (negate) ++pos_;
            CpuSet item;
            if (!read_item(item)) return false;
            if (negate)
                exclude = exclude | item;
            else
                include = include | item;
            any_include = any_include || !negate;
            skip_blanks();
            if (pos_ == s_.len) break;
            if (s_.ptr[pos_] != ',') return fail("expected ',' between CPU list items");
            ++pos_;
        }
        if (!any_include) include = CpuSet::first_n(ncpus_);
        out = include & ~exclude;
        if (out.empty()) return fail("CPU list selects no CPU");
        return true;
    }

private:
    bool read_item(CpuSet& item) {
        if (rest_is("all")) {
            pos_ += 3;
            item = CpuSet::first_n(ncpus_);
            return true;
        }
        uint64_t first = 0, last = 0;
        if (!read_cpu(first)) return false;
        last = first;
        skip_blanks();
        if (pos_ < s_.len && s_.ptr[pos_] == '-') {
            ++pos_;
            skip_blanks();
            if (!read_cpu(last)) return false;
            if (last < first) {
                format(why_.text, sizeof why_.text, "CPU range %llu-%llu is reversed",
                       static_cast<unsigned long long>(first),
                       static_cast<unsigned long long>(last));
                return false;
            }
        }
        for (uint64_t c = first; c <= last; ++c) item.set(static_cast<CpuId>(c));
        return true;
    }

    bool read_cpu(uint64_t& cpu) {
        size_t start = pos_;
        cpu = 0;
        while (pos_ < s_.len && s_.ptr[pos_] >= '0' && s_.ptr[pos_] <= '9') {
            // Saturate: anything past kMaxCpus is out of range anyway, and this cannot overflow.
            if (cpu <= kMaxCpus) cpu = cpu * 10 + static_cast<uint64_t>(s_.ptr[pos_] - '0');
            ++pos_;
        }
        if (pos_ == start)
            return fail(pos_ == s_.len || s_.ptr[pos_] == ','
                            ? "empty item in CPU list"
                            : "CPU list items are \"all\", N, N-M, ^N or ^N-M");
        if (cpu >= ncpus_) {
            if (cpu > kMaxCpus) cpu = kMaxCpus;
            format(why_.text, sizeof why_.text, "CPU %llu%s does not exist (CPUs are 0-%u)",
                   static_cast<unsigned long long>(cpu), cpu >= kMaxCpus ? " or above" : "",
                   ncpus_ - 1);
            return false;
        }
        return true;
    }

    bool rest_is(const char* word) const {
        size_t i = 0;
        for (; word[i] != '\0'; ++i)
            if (pos_ + i >= s_.len || s_.ptr[pos_ + i] != word[i]) return false;
        return true;
    }
    void skip_blanks() {
        while (pos_ < s_.len && (s_.ptr[pos_] == ' ' || s_.ptr[pos_] == '\t')) ++pos_;
    }
    bool fail(const char* message) {
        format(why_.text, sizeof why_.text, "%s", message);
        return false;
    }

    Text s_;
    CpuId ncpus_;
    Problem& why_;
    size_t pos_ = 0;
};

} // namespace

bool check_name(Text name, uint32_t max_length, Problem& why) {
    if (name.len == 0) {
        format(why.text, sizeof why.text, "name is empty");
        return false;
    }
    if (name.len > max_length) {
        format(why.text, sizeof why.text, "name is longer than %u characters", max_length);
        return false;
    }
    for (uint32_t i = 0; i < name.len; ++i) {
        if (!name_char(name.ptr[i])) {
            format(why.text, sizeof why.text,
                   "name may contain only letters, digits, '_', '.' and '-'");
            return false;
        }
    }
    return true;
}

bool parse_cpu_list(Text spec, CpuId ncpus, CpuSet& out, Problem& why) {
    return CpuListReader(spec, ncpus, why).read(out);
}

} // namespace rthv::config::detail
