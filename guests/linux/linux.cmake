# The Linux guest images (guests/linux/README.md): an unmodified Debian kernel as an uncompressed
# vmlinux for PVH entry (and a gzip copy for GRUB's module2), and a busybox initramfs with /init
# and rthv-report, with cyclictest (Debian's rt-tests, its libraries from libc6 and libnuma1) and
# /bin/cyclictest-report. Debian packages are downloaded with `apt-get download` into the build
# tree and extracted with `dpkg-deb -x`; nothing is installed on the host.
# Included from the top-level CMakeLists.txt. Target: linux_guest_images (in ALL).
option(RTHV_LINUX_GUEST "Build the Linux guest images (downloads Debian packages once)" ON)
if(NOT RTHV_LINUX_GUEST)
    return()
endif()
find_package(Python3 REQUIRED COMPONENTS Interpreter)

set(RTHV_LINUX_SRC ${CMAKE_SOURCE_DIR}/guests/linux)
set(RTHV_LINUX_OUT ${CMAKE_BINARY_DIR}/guests/linux)
set(RTHV_LINUX_DEB_DIR ${RTHV_LINUX_OUT}/debs
    CACHE PATH "Where apt-get download puts the .deb files")
set(RTHV_LINUX_STAMP ${RTHV_LINUX_OUT}/debs.stamp)
# The outputs the runner passes as multiboot2 modules.
set(RTHV_LINUX_VMLINUX ${RTHV_LINUX_OUT}/vmlinux)
set(RTHV_LINUX_VMLINUX_GZ ${RTHV_LINUX_OUT}/vmlinux.gz)
set(RTHV_LINUX_INITRAMFS ${RTHV_LINUX_OUT}/initramfs.cpio.gz)
set(RTHV_LINUX_REPORT ${RTHV_LINUX_OUT}/rthv-report)

# Delete debs.stamp (or the build folder) to fetch the newest packages again.
add_custom_command(OUTPUT ${RTHV_LINUX_STAMP}
    COMMAND Python3::Interpreter ${RTHV_LINUX_SRC}/fetch_debs.py --deb-dir ${RTHV_LINUX_DEB_DIR}
            --root-dir ${RTHV_LINUX_OUT}/root --stamp ${RTHV_LINUX_STAMP}
    DEPENDS ${RTHV_LINUX_SRC}/fetch_debs.py
    COMMENT "Fetching Debian's kernel, busybox-static, rt-tests, libc6, libnuma1 (apt-get download)"
    VERBATIM)

add_custom_command(
    OUTPUT ${RTHV_LINUX_VMLINUX} ${RTHV_LINUX_VMLINUX_GZ} ${RTHV_LINUX_OUT}/vmlinux.json
    COMMAND Python3::Interpreter ${RTHV_LINUX_SRC}/extract_vmlinux.py
            --kernel-root ${RTHV_LINUX_OUT}/root/kernel --out ${RTHV_LINUX_VMLINUX}
            --out-gz ${RTHV_LINUX_VMLINUX_GZ} --info ${RTHV_LINUX_OUT}/vmlinux.json
    DEPENDS ${RTHV_LINUX_STAMP} ${RTHV_LINUX_SRC}/extract_vmlinux.py
            ${RTHV_LINUX_SRC}/linux_images.py
    COMMENT "Extracting vmlinux (PVH entry) from the Debian bzImage"
    VERBATIM)

# rthv-report: static, no libc (raw syscalls), for the guest's initramfs.
add_custom_command(OUTPUT ${RTHV_LINUX_REPORT}
    COMMAND ${CMAKE_C_COMPILER} -static -nostdlib -ffreestanding -O2 -fno-pie -no-pie
            -fno-stack-protector -fno-asynchronous-unwind-tables -Wall -Wextra -Werror
            -Wl,--build-id=none -s
            -o ${RTHV_LINUX_REPORT} ${RTHV_LINUX_SRC}/rthv-report.c
    DEPENDS ${RTHV_LINUX_SRC}/rthv-report.c
    COMMENT "Building rthv-report (static x86-64 Linux, no libc)"
    VERBATIM)

add_custom_command(OUTPUT ${RTHV_LINUX_INITRAMFS}
    COMMAND Python3::Interpreter ${RTHV_LINUX_SRC}/mkinitramfs.py
            --busybox ${RTHV_LINUX_OUT}/root/busybox/bin/busybox --init ${RTHV_LINUX_SRC}/init
            --report ${RTHV_LINUX_REPORT} --out ${RTHV_LINUX_INITRAMFS}
            --add usr/bin/cyclictest=${RTHV_LINUX_OUT}/root/rt-tests/usr/bin/cyclictest
            --add bin/cyclictest-report=${RTHV_LINUX_SRC}/cyclictest-report
            --lib-root ${RTHV_LINUX_OUT}/root/libc6 --lib-root ${RTHV_LINUX_OUT}/root/libnuma1
    DEPENDS ${RTHV_LINUX_STAMP} ${RTHV_LINUX_REPORT} ${RTHV_LINUX_SRC}/init
            ${RTHV_LINUX_SRC}/cyclictest-report ${RTHV_LINUX_SRC}/mkinitramfs.py
            ${RTHV_LINUX_SRC}/linux_images.py
    COMMENT "Packing the Linux guest initramfs (newc cpio, gzip, reproducible)"
    VERBATIM)

add_custom_target(linux_guest_images ALL
    DEPENDS ${RTHV_LINUX_VMLINUX} ${RTHV_LINUX_VMLINUX_GZ} ${RTHV_LINUX_INITRAMFS}
            ${RTHV_LINUX_REPORT})
