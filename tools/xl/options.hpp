// A small getopt_long replacement without global state: xl's commands run in-process in the
// tests, and sched-rtds needs its options in command-line order (each -v pairs with the -p/-b/-e
// after it).
#pragma once

#include <string>
#include <vector>

namespace rthv::xl {

struct OptionSpec {
    char short_name;
    const char* long_name;
    bool takes_value;
};

struct ParsedOption {
    char name = 0;       // short name; 0 for a positional argument
    std::string value;   // the option's value, or the positional argument
    std::string spelled; // as the user wrote it, for messages ("--period", "-p")
};

// Accepts -x VALUE, -xVALUE, --long VALUE, --long=VALUE, flags, and "--" to end options.
// Throws XlError for an unknown option or a missing value.
std::vector<ParsedOption> parse_options(const std::vector<std::string>& args,
                                        const std::vector<OptionSpec>& specs);

} // namespace rthv::xl
