// The task set text form: accepted shapes and errors that name line, task and field.
#include "hv/plan/taskset.hpp"

#include <gtest/gtest.h>

#include <string>

namespace rthv::plan {
namespace {

bool parse(const std::string& s, TaskSet& ts, TaskError& e) {
    return parse_tasks(s.data(), s.size(), ts, e);
}

TEST(TaskSet, ItemsSeparatedByCommasBlanksAndLines) {
    TaskSet ts;
    TaskError e;
    ASSERT_TRUE(parse("# comment\n1000/10000, 2000/20000/15000\n\n3/40 # tail\n", ts, e)) << e.text;
    ASSERT_EQ(ts.count, 3u);
    EXPECT_EQ(ts.tasks[0].deadline_us, 10000u); // implicit deadline
    EXPECT_EQ(ts.tasks[1].deadline_us, 15000u);
    EXPECT_EQ(ts.tasks[2].wcet_us, 3u);
    EXPECT_EQ(utilisation_ppm(ts), 100000u + 100000u + 75000u);
}

TEST(TaskSet, ErrorsNameLineTaskAndField) {
    TaskSet ts;
    TaskError e;
    EXPECT_FALSE(parse("1/10\n2/abc\n", ts, e));
    EXPECT_STREQ(e.text, "line 2, task 2 (field T): expected a number of us");
    EXPECT_FALSE(parse("1/10\n\n5/10/20\n", ts, e));
    EXPECT_EQ(e.line, 3u);
    EXPECT_NE(std::string(e.text).find("field D"), std::string::npos) << e.text;
    EXPECT_FALSE(parse("11/20/10", ts, e));
    EXPECT_NE(std::string(e.text).find("field C): WCET 11 exceeds deadline 10"), std::string::npos)
        << e.text;
    EXPECT_FALSE(parse("0/10", ts, e));
    EXPECT_FALSE(parse("010/100", ts, e)); // leading zero: as the config refuses it
    EXPECT_FALSE(parse("1/2/3/4", ts, e));
    EXPECT_FALSE(parse("5", ts, e));
    EXPECT_FALSE(parse("1.5/10", ts, e));
    EXPECT_FALSE(parse("99999999999999999999/1", ts, e));
    EXPECT_FALSE(parse("# nothing\n", ts, e));
    EXPECT_STREQ(e.text, "line 2: no tasks (expected C/T or C/T/D items, in us)");
}

TEST(TaskSet, CapacityIsEnforced) {
    std::string s;
    for (int i = 0; i < 33; ++i) s += "1/100\n";
    TaskSet ts;
    TaskError e;
    EXPECT_FALSE(parse(s, ts, e));
    EXPECT_EQ(e.line, 33u);
    EXPECT_NE(std::string(e.text).find("more than 32 tasks"), std::string::npos) << e.text;
}

} // namespace
} // namespace rthv::plan
