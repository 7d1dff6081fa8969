#include "arch/x86/json_writer.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace rthv::x86;

namespace {

std::string squeeze(const char* s) {
    std::string out;
    for (; *s != '\0'; ++s)
        if (*s != '\n' && *s != ' ') out += *s;
    return out;
}

TEST(JsonWriter, NestedSectionsComposeWithCommas) {
    char buf[512];
    JsonWriter w(buf, sizeof(buf));
    w.begin_object();
    w.field("result", "pass");
    w.field("faults", uint64_t{0});
    w.begin_array("cpus");
    for (uint64_t c = 0; c < 2; ++c) {
        w.begin_object();
        w.field("cpu", c);
        w.field_bool("ok", c == 0);
        w.end_object();
    }
    w.end_array();
    w.begin_array("empty");
    w.end_array();
    w.end_object();
    EXPECT_FALSE(w.truncated());
    EXPECT_EQ(squeeze(w.data()),
              "{\"result\":\"pass\",\"faults\":0,\"cpus\":[{\"cpu\":0,\"ok\":true},"
              "{\"cpu\":1,\"ok\":false}],\"empty\":[]}");
}

TEST(JsonWriter, EscapesStrings) {
    char buf[128];
    JsonWriter w(buf, sizeof(buf));
    w.begin_object();
    w.field("s", "a\"b\\c\n");
    w.end_object();
    EXPECT_EQ(squeeze(w.data()), "{\"s\":\"a\\\"b\\\\c\\u000a\"}");
}

TEST(JsonWriter, FullBufferIsFlaggedNotOverrun) {
    char buf[16];
    JsonWriter w(buf, sizeof(buf));
    w.begin_object();
    w.field("a_long_key", "a long value");
    w.end_object();
    EXPECT_TRUE(w.truncated());
    EXPECT_LT(w.length(), sizeof(buf));
}

} // namespace

TEST(JsonWriter, FixedPointNumbersKeepTheirDecimals) {
    char buf[256];
    JsonWriter w(buf, sizeof(buf));
    w.begin_object();
    w.field_fixed("share", 200300, 6);
    w.field_fixed("small", 5, 3);
    w.field_fixed("whole", 1234567, 2);
    w.field_fixed("plain", 42, 0);
    w.end_object();
    EXPECT_EQ(squeeze(w.data()),
              "{\"share\":0.200300,\"small\":0.005,\"whole\":12345.67,\"plain\":42}");
}
