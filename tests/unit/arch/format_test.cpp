#include "hv/lib/format.hpp"

#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <string>

namespace {

template <typename... Args>
std::string fmt(const char* f, Args... args) {
    char buf[128];
    size_t n = rthv::format(buf, sizeof(buf), f, args...);
    EXPECT_EQ(n, std::string(buf).size());
    return buf;
}

TEST(Format, Integers) {
    EXPECT_EQ(fmt("%d %i %u", -42, 7, 42u), "-42 7 42");
    EXPECT_EQ(fmt("%x %X", 0xbeefu, 0xbeefu), "beef BEEF");
    EXPECT_EQ(fmt("%lld", LLONG_MIN), "-9223372036854775808");
    EXPECT_EQ(fmt("%llu", ULLONG_MAX), "18446744073709551615");
    EXPECT_EQ(fmt("%lx", 0x123456789abcdefUL), "123456789abcdef");
    EXPECT_EQ(fmt("%zu", size_t{99}), "99");
    EXPECT_EQ(fmt("%d", 0), "0");
}

TEST(Format, WidthPaddingAlignment) {
    EXPECT_EQ(fmt("[%5d]", 42), "[   42]");
    EXPECT_EQ(fmt("[%-5d]", 42), "[42   ]");
    EXPECT_EQ(fmt("[%05d]", -42), "[-0042]");
    EXPECT_EQ(fmt("[%08x]", 0xabu), "[000000ab]");
    EXPECT_EQ(fmt("[%*d]", 4, 7), "[   7]");
    EXPECT_EQ(fmt("[%-*d]", 3, 7), "[7  ]");
    EXPECT_EQ(fmt("[%2d]", 12345), "[12345]");
}

TEST(Format, StringsCharsPointers) {
    EXPECT_EQ(fmt("%s|%c", "abc", 'z'), "abc|z");
    EXPECT_EQ(fmt("[%-4s][%4s]", "ab", "ab"), "[ab  ][  ab]");
    EXPECT_EQ(fmt("%.2s", "abcdef"), "ab");
    EXPECT_EQ(fmt("%s", static_cast<const char*>(nullptr)), "(null)");
    EXPECT_EQ(fmt("%p", reinterpret_cast<void*>(0x1234)), "0x0000000000001234");
    EXPECT_EQ(fmt("100%%"), "100%");
}

TEST(Format, UnknownConversionIsVisible) { EXPECT_EQ(fmt("a%qb"), "a%qb"); }

TEST(Format, TruncatesButReportsFullLength) {
    char buf[6];
    size_t n = rthv::format(buf, sizeof(buf), "%s-%d", "hello", 12345);
    EXPECT_EQ(n, 11u);
    EXPECT_STREQ(buf, "hello");
    EXPECT_EQ(rthv::format(nullptr, 0, "%d", 123), 3u);
}

} // namespace
