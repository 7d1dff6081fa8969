// Command line of rthv-plan (`./rthv plan`): what to plan and how to print it.
#pragma once

#include "hv/plan/plan.hpp"

#include <string>

namespace rthv::plan_tool {

struct Options {
    std::string taskset_path; // "-" = stdin
    std::string domain = "DOM";
    bool json = false;
    bool help = false;
    plan::Request request; // all but the tasks
};

// Parses argv; on a problem returns false with `error` set (the caller prints usage, exit 2).
bool parse_options(int argc, char** argv, Options& out, std::string& error);

extern const char* const kUsage;

} // namespace rthv::plan_tool
