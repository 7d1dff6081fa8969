#include "arch/x86/cmdline.hpp"

#include <gtest/gtest.h>

using namespace rthv::x86;

namespace {

TEST(Cmdline, DefaultsWhenEmptyOrAbsent) {
    Options o = parse_cmdline(nullptr);
    EXPECT_EQ(o.cpus, 0u);
    EXPECT_STREQ(o.test, ""); // no self-test: the hypervisor runs its configuration
    EXPECT_EQ(o.runtime_ms, 200u);
    EXPECT_EQ(parse_cmdline("   ").bad_options, 0u);
}

TEST(Cmdline, AllOptions) {
    Options o = parse_cmdline("console=none cpus=3  loglevel=4\ttest=fault-pf runtime_ms=1500");
    EXPECT_EQ(o.console, Console::kNone);
    EXPECT_EQ(o.cpus, 3u);
    EXPECT_EQ(o.loglevel, 4u);
    EXPECT_STREQ(o.test, "fault-pf");
    EXPECT_EQ(o.runtime_ms, 1500u);
    EXPECT_EQ(o.bad_options, 0u);
}

TEST(Cmdline, TraceIsOffUnlessAskedFor) {
    EXPECT_FALSE(parse_cmdline("test=boot").trace);
    EXPECT_FALSE(parse_cmdline("").trace);
    EXPECT_TRUE(parse_cmdline("trace=1").trace);
    EXPECT_FALSE(parse_cmdline("trace=1 trace=0").trace);
    Options bad = parse_cmdline("trace=2");
    EXPECT_FALSE(bad.trace);
    EXPECT_EQ(bad.bad_options, 1u);
}

TEST(Cmdline, TraceRingSizeIsParsedAndBoundedHere) {
    EXPECT_EQ(parse_cmdline("trace=1").trace_ring, 0u); // 0: the default size
    EXPECT_EQ(parse_cmdline("trace_ring=64").trace_ring, 64u);
    // Power of two and range are checked where the rings are made (dom_trace.cpp); what does
    // not even fit 32 bits is a bad token here, and the default stays.
    Options bad = parse_cmdline("trace_ring=4294967297 trace_ring=x");
    EXPECT_EQ(bad.trace_ring, 0u);
    EXPECT_EQ(bad.bad_options, 2u);
}

TEST(Cmdline, BadTokensAreCountedAndNamed) {
    Options o = parse_cmdline("cpus=x loglevel=9 frob runtime_ms=99999999999999999999 cpus=2");
    EXPECT_EQ(o.bad_options, 4u);
    EXPECT_STREQ(o.first_bad, "cpus=x");
    EXPECT_EQ(o.cpus, 2u); // later good value still applies
    EXPECT_EQ(o.runtime_ms, 200u);
}

TEST(Cmdline, OverlongTestNameRejectedNotTruncated) {
    Options o = parse_cmdline("test=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    EXPECT_EQ(o.bad_options, 1u);
    EXPECT_STREQ(o.test, "");
    EXPECT_EQ(parse_cmdline("test=").bad_options, 1u);
    EXPECT_EQ(parse_cmdline("console=vga").bad_options, 1u);
}

} // namespace
