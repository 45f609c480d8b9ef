// A CPU model for the example platform and the tests: writes and reads
// the accelerator's registers through a TLM-2.0 initiator socket, the way
// a driver would (docs/systemc.md, "Register map").
#ifndef PESIM_SC_DRIVER_H
#define PESIM_SC_DRIVER_H

#include <cstring>

#include "pesim_sc.h"

namespace pesim_sc {

class driver_port : public tlm_utils::simple_initiator_socket<driver_port, 32> {
public:
    explicit driver_port(const char *name)
        : tlm_utils::simple_initiator_socket<driver_port, 32>(name)
    {
    }
    // One 32-bit register access; returns the TLM response status.
    tlm::tlm_response_status access(bool write, uint64_t addr, uint32_t &v,
                                    unsigned len = 4, unsigned char *be = nullptr)
    {
        unsigned char buf[8] = {};
        std::memcpy(buf, &v, 4);
        tlm::tlm_generic_payload t;
        t.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        t.set_address(addr);
        t.set_data_ptr(buf);
        t.set_data_length(len);
        t.set_streaming_width(len);
        t.set_byte_enable_ptr(be);
        t.set_byte_enable_length(be ? 4 : 0);
        t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
        (*this)->b_transport(t, delay);
        if (!write)
            std::memcpy(&v, buf, 4);
        return t.get_response_status();
    }
    tlm::tlm_response_status write(uint64_t addr, uint32_t v) { return access(true, addr, v); }
    uint32_t read(uint64_t addr)
    {
        uint32_t v = 0;
        access(false, addr, v);
        return v;
    }
    uint64_t cycles() { return read(REG_CYCLES_LO) | static_cast<uint64_t>(read(REG_CYCLES_HI)) << 32; }
};

} // namespace pesim_sc

#endif
