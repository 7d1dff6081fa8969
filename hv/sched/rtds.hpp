// Everything a user of the RTDS core needs: include this one header.
#pragma once

#include "hv/sched/admission.hpp"
#include "hv/sched/params.hpp"
#include "hv/sched/scheduler.hpp"
#include "hv/sched/text.hpp"
#include "hv/sched/trace.hpp"
#include "hv/sched/vcpu.hpp"
#include "hv/timer/timer_core.hpp"
