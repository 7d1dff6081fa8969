# Warnings for every target we own. -Werror is on unless RTHV_WERROR=OFF (CI keeps it on).
option(RTHV_WERROR "Treat warnings as errors" ON)

function(rthv_warnings target)
    target_compile_options(${target} PRIVATE
        $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wconversion -Wshadow -Wold-style-cast
                                  -Wnon-virtual-dtor -Woverloaded-virtual>)
    if(RTHV_WERROR)
        target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Werror>)
    endif()
endfunction()
