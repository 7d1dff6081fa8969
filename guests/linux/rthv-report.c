/* rthv-report NAME VALUE: sends the line "NAME=VALUE\n" to the rthv report device (I/O port
 * 0x0E40), one byte per outb. A static x86-64 Linux program without libc (raw syscalls), for the
 * Linux guests' initramfs. The protocol is in REPORT.md.
 *
 * The arguments are checked before anything else (before iopl), so a bad argument gives a
 * message on stderr and exit 2 on any machine, with nothing sent. iopl(3) needs root
 * (CAP_SYS_RAWIO): its failure gives exit 1, with nothing sent. */

#define REPORT_PORT 0x0E40
#define NAME_MAX_LEN 31
#define SYS_write 1
#define SYS_exit_group 231
#define SYS_iopl 172

typedef unsigned long u64;

static long sys3(long nr, long a, long b, long c) {
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a), "S"(b), "d"(c)
                     : "rcx", "r11", "memory");
    return ret;
}

static __attribute__((noreturn)) void sys_exit(int code) {
    for (;;) sys3(SYS_exit_group, code, 0, 0);
}

static u64 len(const char* s) {
    u64 n = 0;
    while (s[n]) n++;
    return n;
}

static void put(int fd, const char* s) { sys3(SYS_write, fd, (long)s, (long)len(s)); }

static __attribute__((noreturn)) void refuse(const char* why, const char* arg) {
    put(2, "rthv-report: ");
    put(2, why);
    if (arg) {
        put(2, ": '");
        put(2, arg);
        put(2, "'");
    }
    put(2, "\nusage: rthv-report NAME VALUE\n"
           "  NAME: 1 to 31 of [a-z0-9_]; VALUE: a signed decimal integer (64-bit)\n"
           "  sends NAME=VALUE\\n to the rthv report device (I/O port 0x0E40); needs root\n");
    sys_exit(2);
}

static int name_ok(const char* s) {
    u64 n = len(s);
    if (n < 1 || n > NAME_MAX_LEN) return 0;
    for (u64 i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return 0;
    }
    return 1;
}

/* [-]digits, within int64_t: 9223372036854775807, or ...808 with the minus sign. */
static int value_ok(const char* s) {
    int neg = (*s == '-');
    const char* d = s + neg;
    if (!*d) return 0;
    u64 limit = 9223372036854775807UL + (u64)neg, v = 0;
    for (; *d; d++) {
        if (*d < '0' || *d > '9') return 0;
        u64 digit = (u64)(*d - '0');
        if (v > (limit - digit) / 10) return 0;
        v = v * 10 + digit;
    }
    return 1;
}

static void outb(unsigned char byte) {
    __asm__ volatile("outb %0, %1" : : "a"(byte), "Nd"((unsigned short)REPORT_PORT));
}

static void send(const char* s) {
    while (*s) outb((unsigned char)*s++);
}

__attribute__((noreturn, used)) void rthv_report_main(long* sp) {
    long argc = sp[0];
    char** argv = (char**)(sp + 1);
    if (argc != 3) refuse("expected two arguments", 0);
    if (!name_ok(argv[1])) refuse("bad NAME (1 to 31 of [a-z0-9_])", argv[1]);
    if (!value_ok(argv[2])) refuse("bad VALUE (a signed decimal integer, 64-bit)", argv[2]);
    long r = sys3(SYS_iopl, 3, 0, 0);
    if (r != 0) {
        put(2, "rthv-report: iopl(3) failed (needs root, CAP_SYS_RAWIO): nothing sent\n");
        sys_exit(1);
    }
    send(argv[1]);
    send("=");
    send(argv[2]);
    send("\n");
    sys_exit(0);
}

/* The kernel starts us with argc at (%rsp); keep the ABI's 16-byte alignment for the call. */
__asm__(".globl _start\n"
        "_start:\n"
        "  xor %ebp, %ebp\n"
        "  mov %rsp, %rdi\n"
        "  and $-16, %rsp\n"
        "  call rthv_report_main\n"
        "  hlt\n");
