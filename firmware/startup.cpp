// startup.cpp - minimal Cortex-M runtime: vector table, Reset_Handler, bounded _sbrk.
// Link with -nostartfiles -T cortex-m.ld --specs=nosys.specs. main()'s return value and any
// fault end QEMU through semihosting, so ctest sees the program's verdict as an exit code.
// From the tested recipe in shared/embedded, with the exits made semihosting calls.
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "semihost.hpp"

extern "C" {
extern std::uint32_t _sidata[], _sdata[], _edata[], _sbss[], _ebss[], _estack[];  // cortex-m.ld
extern char _heap_start[], _heap_end[];
using InitFn = void (*)();
extern InitFn __preinit_array_start[], __preinit_array_end[], __init_array_start[], __init_array_end[];
int app_main() __asm__("main");  // calling ::main directly is ill-formed C++ (-Wpedantic)
void initialise_monitor_handles() __attribute__((weak));  // librdimon only (semihosting stdio)
// Normally provided by crtbegin.o / crti.o, which -nostartfiles drops:
void* __dso_handle = nullptr;  // referenced when a global object has a non-trivial destructor
void _init() {}                // called by newlib's __libc_init_array / __libc_fini_array
void _fini() {}
[[noreturn]] void Reset_Handler();
[[noreturn]] void Default_Handler();
void* _sbrk(std::ptrdiff_t incr);
std::size_t heap_used();
}

void Reset_Handler() {
#if defined(__ARM_FP)
  // CPACR: full access to CP10/CP11 (FPU) before any FP instruction runs
  *reinterpret_cast<volatile std::uint32_t*>(0xE000ED88UL) |= (0xFUL << 20);
  __asm volatile("dsb\n\tisb" ::: "memory");
#endif
  for (std::uint32_t *s = _sidata, *d = _sdata; d < _edata;) *d++ = *s++;  // .data: flash -> RAM
  for (std::uint32_t* d = _sbss; d < _ebss;) *d++ = 0;                       // .bss = 0
  if (initialise_monitor_handles) initialise_monitor_handles();
  for (InitFn* f = __preinit_array_start; f < __preinit_array_end; ++f) (*f)();
  for (InitFn* f = __init_array_start; f < __init_array_end; ++f) (*f)();
  semihost::exit(app_main());  // newlib-nosys exit() would spin forever
}

// Any fault or unexpected interrupt ends qemu with status 250.
void Default_Handler() { semihost::exit(0xFA); }

// Bounded heap for malloc (newlib-nano stdio needs it). heap_used() lets tests assert "no heap".
namespace { char* g_brk = _heap_start; }
void* _sbrk(std::ptrdiff_t incr) {
  if (incr > _heap_end - g_brk || incr < _heap_start - g_brk) {
    errno = ENOMEM;
    return reinterpret_cast<void*>(-1);
  }
  char* prev = g_brk;
  g_brk += incr;
  return prev;
}
std::size_t heap_used() { return static_cast<std::size_t>(g_brk - _heap_start); }

struct VectorTable {
  const void* initial_sp;
  InitFn handlers[15];
};
extern "C" __attribute__((section(".isr_vector"), used)) const VectorTable g_vector_table = {
    _estack,
    {Reset_Handler, Default_Handler /*NMI*/, Default_Handler /*HardFault*/, Default_Handler /*MemManage*/,
     Default_Handler /*BusFault*/, Default_Handler /*UsageFault*/, nullptr, nullptr, nullptr, nullptr,
     Default_Handler /*SVCall*/, Default_Handler /*DebugMon*/, nullptr, Default_Handler /*PendSV*/,
     Default_Handler /*SysTick*/}};
