# Debian's avr-gcc 5.4 / avr-libc for the ATmega328P (gcc-avr, avr-libc, binutils-avr).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR avr)
set(CMAKE_C_COMPILER avr-gcc)
set(CMAKE_CXX_COMPILER avr-g++)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
find_program(AVR_SIZE avr-size REQUIRED)
find_program(AVR_OBJCOPY avr-objcopy REQUIRED)
