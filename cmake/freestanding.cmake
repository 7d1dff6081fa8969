# Flags for code that runs inside the hypervisor (arch/x86 and the portable core compiled for it).
# No SSE/x87: the hypervisor never saves its own FPU state, so hv/ is integer-only.
set(RTHV_FREESTANDING_FLAGS
    -ffreestanding -fno-exceptions -fno-rtti -mno-red-zone -fno-pic -fno-pie
    -mgeneral-regs-only -mno-sse -mno-mmx -mno-80387 -fno-stack-protector
    -fno-threadsafe-statics -fno-asynchronous-unwind-tables -fno-builtin
    -mcmodel=kernel -O2 -g)

function(rthv_freestanding target)
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX,C>:${RTHV_FREESTANDING_FLAGS}>)
    target_compile_definitions(${target} PRIVATE RTHV_FREESTANDING=1)
endfunction()
