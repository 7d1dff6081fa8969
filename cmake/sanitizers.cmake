# Sanitizer flavours for host targets. The hypervisor never gets these: its flags are set
# PRIVATE on its own target (Hedron's rule: one tree, freestanding flags only where they belong).
option(RTHV_SANITIZE "Build host tests with ASan/UBSan" ON)

function(rthv_asan target)
    if(RTHV_SANITIZE)
        target_compile_options(${target} PRIVATE -fsanitize=address,undefined
                                                 -fno-sanitize-recover=undefined
                                                 -fno-omit-frame-pointer)
        target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    endif()
endfunction()

function(rthv_tsan target)
    target_compile_options(${target} PRIVATE -fsanitize=thread -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=thread)
endfunction()
