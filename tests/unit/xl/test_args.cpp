// `xl sched-rtds` argument parsing: every bad input of issue 5 that can be caught before
// talking to the hypervisor, and the accepted forms.
#include "tools/xl/error.hpp"
#include "tools/xl/numbers.hpp"
#include "tools/xl/sched_rtds_args.hpp"

#include <gtest/gtest.h>

namespace rthv::xl {
namespace {

std::string error_of(const std::vector<std::string>& args) {
    try {
        parse_sched_rtds_args(args);
    } catch (const XlError& e) {
        return e.what();
    }
    return "<accepted>";
}

struct BadCase {
    std::vector<std::string> args;
    std::string message;
};

TEST(XlArgs, RejectsEveryBadInputWithItsReason) {
    const std::vector<BadCase> cases = {
        {{"-d", "vm1", "-p", "abc", "-b", "10"}, "period 'abc' is not a number"},
        {{"-d", "vm1", "-p", "10x", "-b", "10"}, "period '10x' is not a number"},
        {{"-d", "vm1", "-p", "", "-b", "10"}, "period '' is not a number"},
        {{"-d", "vm1", "-p", "-5", "-b", "10"}, "period -5 is negative"},
        {{"-d", "vm1", "-p", "0", "-b", "10"}, "period must not be zero"},
        {{"-d", "vm1", "-p", "99999999999", "-b", "10"}, "period 99999999999 is too large"},
        {{"-d", "vm1", "-p", "4294967296", "-b", "10"}, "period 4294967296 is too large"},
        {{"-d", "vm1", "-p", "9", "-b", "9"}, "period 9 us is below the minimum of 10 us"},
        {{"-d", "vm1", "-p", "4294967296"}, "period 4294967296 is too large (limit 4294967295 us)"},
        {{"-d", "vm1", "-b", "abc"}, "budget 'abc' is not a number"},
        {{"-d", "vm1", "-b", "-1"}, "budget -1 is negative"},
        {{"-d", "vm1", "-b", "0"}, "budget must not be zero"},
        {{"-d", "vm1", "-b", "5"}, "budget 5 us is below the minimum of 10 us"},
        {{"-d", "vm1", "-p", "100", "-b", "200"}, "budget 200 us is greater than period 100 us"},
        {{"-d", "vm1", "-v", "0", "-p", "100", "-b", "50", "-v", "1", "-p", "100", "-b", "150"},
         "budget 150 us is greater than period 100 us for VCPU 1"},
        {{"-d", "vm1", "-v", "all", "-v", "1"}, "'-v all' cannot be combined with other -v"},
        {{"-d", "vm1", "-v", "1", "-v", "all"}, "'-v all' cannot be combined with other -v"},
        {{"-d", "vm1", "-v", "x"}, "VCPU 'x' is not a number"},
        {{"-d", "vm1", "-v", "-1"}, "VCPU -1 is negative"},
        {{"-d", "vm1", "-v", "1", "-v", "1"}, "VCPU 1 given twice"},
        {{"-d", "vm1", "-v", "0", "-v", "1", "-p", "100", "-b", "50"}, "counts do not match"},
        {{"-d", "vm1", "-v", "0", "-p", "100"}, "counts do not match"},
        {{"-d", "vm1", "-v", "0", "-p", "100", "-b", "50", "-e", "1", "-e", "0"},
         "counts do not match"},
        {{"-d", "vm1", "-p", "100", "-p", "200"},
         "without -v, give each of -p, -b and -e at most once"},
        {{"-d", "vm1", "-e", "2"}, "extratime must be 0 or 1, not '2'"},
        {{"-d", "vm1", "-e", "yes"}, "extratime must be 0 or 1, not 'yes'"},
        {{"-d", "vm1", "-e", "01"}, "extratime must be 0 or 1, not '01'"},
        {{"-p", "100", "-b", "50"}, "-p/-b/-e change a domain: give it with -d DOMAIN"},
        {{"-v", "1"}, "-v VCPUID needs -d DOMAIN"},
        {{"-c", "Pool-0", "-d", "vm1"}, "-c/--cpupool selects what to list"},
        {{"-d", "vm1", "--force"}, "--force only applies to a change"},
        {{"-d", "vm1", "-d", "vm2"}, "-d given twice"},
        {{"-x"}, "unknown option '-x'"},
        {{"--budgett=5"}, "unknown option '--budgett'"},
        {{"-d"}, "option '-d' needs a value"},
        {{"--force=1", "-d", "vm1", "-p", "100"}, "option '--force' takes no value"},
        {{"vm1"}, "unexpected argument 'vm1'"},
    };
    for (const BadCase& c : cases) {
        const std::string got = error_of(c.args);
        EXPECT_NE(got.find(c.message), std::string::npos)
            << "args:" << ::testing::PrintToString(c.args) << "\n got: " << got
            << "\n want: " << c.message;
        EXPECT_EQ(got.find('\n'), std::string::npos) << "one line: " << got;
    }
}

TEST(XlArgs, AcceptsXenForms) {
    SchedRtdsArgs a = parse_sched_rtds_args({});
    EXPECT_FALSE(a.has_domain || a.is_set() || a.all_vcpus);

    a = parse_sched_rtds_args(
        {"-d", "vm1", "-v", "0", "-p", "100", "-b", "50", "-v", "3", "-p", "300", "-b", "150"});
    EXPECT_EQ(a.vcpus, (std::vector<uint32_t>{0, 3}));
    EXPECT_EQ(a.periods, (std::vector<uint32_t>{100, 300}));
    EXPECT_EQ(a.budgets, (std::vector<uint32_t>{50, 150}));
    EXPECT_TRUE(a.extratimes.empty()); // Xen insists on -e here; we keep the current value

    a = parse_sched_rtds_args({"--domain=vm1", "--vcpuid=all", "--period=500", "--budget", "250",
                               "--extratime=1", "--force"});
    EXPECT_TRUE(a.all_vcpus && a.force && a.has_domain);
    EXPECT_EQ(a.domain, "vm1");
    EXPECT_EQ(a.extratimes, (std::vector<uint8_t>{1}));

    a = parse_sched_rtds_args({"-dvm1", "-p10000", "-b4000"}); // getopt's attached values
    EXPECT_EQ(a.domain, "vm1");
    EXPECT_EQ(a.periods, (std::vector<uint32_t>{10000}));

    a = parse_sched_rtds_args({"-v", "all", "--cpupool", "rt-pool"});
    EXPECT_TRUE(a.all_vcpus && a.has_cpupool);
    EXPECT_EQ(a.cpupool, "rt-pool");

    a = parse_sched_rtds_args({"-d", "vm1", "-e", "0"});
    EXPECT_TRUE(a.is_set());
    EXPECT_TRUE(parse_sched_rtds_args({"--help"}).help);
}

TEST(XlArgs, NumberBounds) {
    EXPECT_EQ(parse_number("10", "period", 10, 10000000, " us"), 10u);
    EXPECT_EQ(parse_number("10000000", "period", 10, 10000000, " us"), 10000000u);
    EXPECT_EQ(parse_number("+42", "x", 0, 100, ""), 42u);
    EXPECT_EQ(parse_number("0", "VCPU", 0, 5, ""), 0u);
    EXPECT_THROW(parse_number("1 ", "x", 0, 100, ""), XlError);
    EXPECT_THROW(parse_number("0x10", "x", 0, 100, ""), XlError);
    EXPECT_THROW(parse_number("-", "x", 0, 100, ""), XlError);
}

} // namespace
} // namespace rthv::xl
