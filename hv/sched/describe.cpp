// Names and sentences for the scheduler's enums and its Status.
#include "hv/sched/scheduler.hpp"

namespace rthv {

const char* describe(SchedError e) {
    switch (e) {
    case SchedError::Ok:
        return "ok";
    case SchedError::InvalidParams:
        return "invalid parameters";
    case SchedError::AdmissionRefused:
        return "admission refused";
    case SchedError::EmptyAffinity:
        return "affinity contains no CPU of the pool";
    case SchedError::TooManyAffinityClasses:
        return "too many distinct affinity masks in the pool (at most 16)";
    case SchedError::NoSuchPool:
        return "no such pool";
    case SchedError::TooManyPools:
        return "too many pools (at most 8)";
    case SchedError::BadPoolName:
        return "pool name is empty or longer than 31 characters";
    case SchedError::CpusUnavailable:
        return "CPUs must be a non-empty proper subset of Pool-0's CPUs";
    case SchedError::PoolBusy:
        return "Pool-0 already has VCPUs; create pools before VCPUs";
    case SchedError::BadReserve:
        return "reserve must be 0..1000 permille";
    case SchedError::AlreadyInserted:
        return "VCPU is already in a pool";
    case SchedError::NotInserted:
        return "VCPU is not in any pool";
    case SchedError::StillRunning:
        return "VCPU is still running: pause it and wait";
    }
    return "unknown scheduler error";
}

const char* describe(Place p) {
    switch (p) {
    case Place::Off:
        return "off";
    case Place::Blocked:
        return "blocked";
    case Place::Runq:
        return "runq";
    case Place::Depleted:
        return "depleted";
    case Place::Running:
        return "running";
    }
    return "?";
}

const char* describe(TraceKind k) {
    switch (k) {
    case TraceKind::Insert:
        return "insert";
    case TraceKind::Remove:
        return "remove";
    case TraceKind::Wake:
        return "wake";
    case TraceKind::Block:
        return "block";
    case TraceKind::Pause:
        return "pause";
    case TraceKind::Unpause:
        return "unpause";
    case TraceKind::Yield:
        return "yield";
    case TraceKind::Tickle:
        return "tickle";
    case TraceKind::Pick:
        return "pick";
    case TraceKind::Burn:
        return "burn";
    case TraceKind::Deplete:
        return "deplete";
    case TraceKind::Replenish:
        return "replenish";
    case TraceKind::Miss:
        return "miss";
    case TraceKind::Overrun:
        return "overrun";
    case TraceKind::Steal:
        return "steal";
    case TraceKind::Params:
        return "params";
    }
    return "?";
}

void Status::format(TextSink& out) const {
    TextWriter w(out);
    if (error == SchedError::InvalidParams) {
        w.str("invalid parameters: ").str(describe(param));
        return;
    }
    if (error == SchedError::AdmissionRefused) {
        w.str("admission refused: ");
        refusal.format(out);
        return;
    }
    w.str(describe(error));
}

} // namespace rthv
