// What rthv-plan prints: a table of candidate periods, the plan, the guarantee it rests on, and
// the lines to paste (hv/config keys and an xl sched-rtds command); or all of it as JSON.
#pragma once

#include "tools/plan/options.hpp"

#include <ostream>

namespace rthv::plan_tool {

void print_text(std::ostream& out, const Options& o, const plan::Plan& p);
void print_json(std::ostream& out, const Options& o, const plan::Plan& p);

// One sentence: which server rule the guarantee assumes and when it holds.
const char* guarantee(plan::ServerRule r);

} // namespace rthv::plan_tool
