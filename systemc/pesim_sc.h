// pesim as a SystemC/TLM-2.0 accelerator (docs/systemc.md).
//
// pesim_sc::accelerator is an sc_module with a register-map target socket,
// a DRAM initiator socket and a done interrupt. A driver (a CPU model, a
// test bench) writes the handles of an architecture, a workload and a
// mapping, a layer index and a dataflow, then START; pesim's event engine
// runs the layer inside the module and every DRAM transfer it makes leaves
// through `dram` as a generic-payload transaction, loosely timed
// (b_transport with a quantum keeper) or approximately timed (the 4-phase
// base protocol). The target's timing sets the engine's DRAM timing, at
// the architecture's clock period; with a memory that times as pesim's
// DRAM model does, the result equals `pesim run`'s.
//
// pesim_sc::memory is a reference DRAM target with pesim's timing model
// (bandwidth and latency), optionally slower or with extra latency, with
// one socket for the accelerator and one for other traffic.
#ifndef PESIM_SC_H
#define PESIM_SC_H

#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/peq_with_get.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "pesim.h"

namespace pesim_sc {

// Register map: 32-bit registers, 4-byte aligned single-word accesses
// (docs/systemc.md, "Register map").
enum reg : uint32_t {
    REG_ID = 0x00,          // RO  0x5045534d ("PESM")
    REG_VERSION = 0x04,     // RO  0x00010000 (1.0)
    REG_CTRL = 0x08,        // WO  bit 0 START, bit 1 CLEAR (done/error -> idle)
    REG_STATUS = 0x0c,      // RO  enum status
    REG_ERROR = 0x10,       // RO  0, or -PESIM_E_... of the last failed start or run
    REG_ARCH = 0x14,        // RW  architecture handle (1..)
    REG_WORKLOAD = 0x18,    // RW  workload handle (1..)
    REG_LAYER = 0x1c,       // RW  layer index in the workload (0..)
    REG_DATAFLOW = 0x20,    // RW  dataflow index (pesim_df_get order)
    REG_MAPPING = 0x24,     // RW  0: the dataflow's mapper; else a mapping handle
    REG_BATCH = 0x28,       // RW  0: the workload's N; else N for the run
    REG_IRQ_ENABLE = 0x2c,  // RW  bit 0: raise `irq` when a run ends
    REG_IRQ_STATUS = 0x30,  // RW1C bit 0: a run ended
    REG_CYCLES_LO = 0x38,   // RO  cycles of the last run, bits 31..0
    REG_CYCLES_HI = 0x3c,   // RO  bits 63..32
    REG_WEIGHTS_LO = 0x40,  // RW  base address of the weights in DRAM
    REG_WEIGHTS_HI = 0x44,
    REG_INPUTS_LO = 0x48,   // RW  base address of the inputs
    REG_INPUTS_HI = 0x4c,
    REG_OUTPUTS_LO = 0x50,  // RW  base address of the outputs
    REG_OUTPUTS_HI = 0x54,
    REG_XFERS = 0x58,       // RO  DRAM transactions of the last run (low 32 bits)
    REG_SIZE = 0x5c,        // first offset past the map
};

enum status : uint32_t { STATUS_IDLE = 0, STATUS_BUSY = 1, STATUS_DONE = 2, STATUS_ERROR = 3 };
enum ctrl : uint32_t { CTRL_START = 1u << 0, CTRL_CLEAR = 1u << 1 };

constexpr uint32_t ID = 0x5045534d;
constexpr uint32_t VERSION = 0x00010000;
constexpr uint64_t WEIGHTS_BASE = 0x00000000; // reset values of the base registers
constexpr uint64_t INPUTS_BASE = 0x10000000;
constexpr uint64_t OUTPUTS_BASE = 0x20000000;

enum class style { lt, at };

// Optional, ignorable extension for loosely-timed targets that pipeline:
// the times, in the frame of b_transport's delay (sc_time_stamp() + value
// on return), at which the data began to move and the target could take
// the next request. Without it the whole annotated delay holds DRAM.
struct dram_timing : tlm::tlm_extension<dram_timing> {
    sc_core::sc_time begin = sc_core::SC_ZERO_TIME, accept = sc_core::SC_ZERO_TIME;
    bool valid = false;
    tlm::tlm_extension_base *clone() const override { return new dram_timing(*this); }
    void copy_from(const tlm::tlm_extension_base &other) override
    {
        *this = static_cast<const dram_timing &>(other);
    }
};

class accelerator : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<accelerator, 32> regs;     // register map
    tlm_utils::simple_initiator_socket<accelerator, 64> dram;  // DRAM traffic
    sc_core::sc_out<bool> irq;                                 // run ended (if enabled)

    // `quantum` is the LT quantum (ignored for AT).
    accelerator(sc_core::sc_module_name name, style s = style::lt,
                sc_core::sc_time quantum = sc_core::sc_time(1, sc_core::SC_US));
    ~accelerator() override;
    accelerator(const accelerator &) = delete;
    accelerator &operator=(const accelerator &) = delete;

    // Handles for the registers, registered by the platform before a run
    // (as a driver would hand over buffers). The module copies the arch and
    // the mapping; a workload is referenced and must outlive the module.
    // Each returns the handle (1, 2, ...).
    uint32_t add_arch(const struct pesim_arch &arch);
    uint32_t add_workload(const struct pesim_workload &wl);
    uint32_t add_mapping(const struct pesim_mapping &m);

    // The last run: the same result and JSON as `pesim run` of that layer.
    bool has_result() const { return have_result_; }
    const struct pesim_layer_result &result() const { return result_; }
    std::string json() const;
    std::string diagnostics() const { return diags_text_; }
    // Bytes that left through `dram`, per data space and direction
    // ([ds][0] read, [ds][1] write), and transactions, in the last run.
    uint64_t stream_bytes(enum pesim_ds ds, bool write) const { return bytes_[ds][write]; }
    uint64_t transactions() const { return xfers_; }
    // One clock period of the running architecture.
    sc_core::sc_time period() const { return period_; }

private:
    void reg_b_transport(tlm::tlm_generic_payload &t, sc_core::sc_time &delay);
    tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload &t, tlm::tlm_phase &ph,
                                       sc_core::sc_time &delay);
    tlm::tlm_response_status reg_write(uint32_t addr, uint32_t v);
    tlm::tlm_response_status reg_read(uint32_t addr, uint32_t &v);
    int start_check();
    void run_thread();
    void irq_method();
    static int transfer_cb(void *ctx, const struct pesim_dram_request *rq,
                           struct pesim_dram_timing *out);
    int transfer(const struct pesim_dram_request *rq, struct pesim_dram_timing *out);
    uint64_t address(enum pesim_ds ds, uint64_t len);
    sc_core::sc_time at(uint64_t cycle) const
    {
        return t0_ + sc_core::sc_time::from_value(cycle * period_.value());
    }
    uint64_t cycle_of(const sc_core::sc_time &t) const;

    style style_;
    tlm_utils::tlm_quantumkeeper qk_;
    std::vector<struct pesim_arch> archs_;
    std::vector<const struct pesim_workload *> wls_;
    std::vector<struct pesim_mapping> maps_;
    uint32_t r_[REG_SIZE / 4] = {};
    uint32_t status_ = STATUS_IDLE;
    int32_t error_ = 0;
    sc_core::sc_event start_ev_, irq_ev_;
    // the run
    struct pesim_layer layer_ = {};
    struct pesim_layer_result result_ = {};
    bool have_result_ = false;
    std::string diags_text_;
    sc_core::sc_time t0_, period_;
    uint64_t period_ps_ = 0;
    uint64_t region_[PESIM_DS_COUNT] = {}, cursor_[PESIM_DS_COUNT] = {};
    uint64_t bytes_[PESIM_DS_COUNT][2] = {}, xfers_ = 0;
    std::vector<unsigned char> data_, be_;
    tlm::tlm_generic_payload gp_;
    dram_timing ext_;
    // AT handshake
    sc_core::sc_event at_ev_;
    bool at_end_req_ = false, at_resp_ = false;
    sc_core::sc_time at_end_req_t_, at_resp_t_;
};

// A DRAM target timed like pesim's DRAM model (docs/model.md §8.2): one
// channel of `bytes_per_cycle` at `period` (the same fixed point), reads
// complete `latency_cycles` after the data (pipelined: the channel takes
// the next request meanwhile), writes when their data has moved. `slowdown`
// multiplies the channel time; `extra_latency_cycles` adds to reads. Two
// sockets share the channel: `port` (the accelerator) and `other` (other
// traffic). LT: b_transport fills pesim_sc::dram_timing when present. AT:
// END_REQ when the data has moved, BEGIN_RESP annotated with the latency.
// Timing only: reads return zeros, writes are dropped.
class memory : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<memory, 64> port;
    // other traffic, LT only; any number of initiators, or none
    tlm_utils::multi_passthrough_target_socket<memory, 64, tlm::tlm_base_protocol_types, 0,
                                               sc_core::SC_ZERO_OR_MORE_BOUND>
        other;

    memory(sc_core::sc_module_name name, sc_core::sc_time period, double bytes_per_cycle,
           uint32_t latency_cycles, uint64_t size_bytes);
    void set_slowdown(uint64_t factor) { slowdown_ = factor; }
    void set_extra_latency(uint32_t cycles) { extra_ = cycles; }
    // Channel time of a burst, in cycles.
    uint64_t channel_cycles(uint64_t bytes) const;
    uint64_t busy_cycles() const { return busy_; }
    uint64_t transactions() const { return count_; }

private:
    void b_transport(tlm::tlm_generic_payload &t, sc_core::sc_time &delay);
    void other_b_transport(int id, tlm::tlm_generic_payload &t, sc_core::sc_time &delay)
    {
        (void)id;
        b_transport(t, delay);
    }
    tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload &t, tlm::tlm_phase &ph,
                                       sc_core::sc_time &delay);
    void at_thread();
    bool check(tlm::tlm_generic_payload &t);
    // Occupies the channel from max(arrival, free); returns begin, release, done.
    void timing(tlm::tlm_generic_payload &t, const sc_core::sc_time &arrival,
                sc_core::sc_time &begin, sc_core::sc_time &release, sc_core::sc_time &done);

    sc_core::sc_time period_;
    uint64_t rate_fp_;
    uint32_t latency_;
    uint64_t size_;
    uint64_t slowdown_ = 1;
    uint32_t extra_ = 0;
    sc_core::sc_time free_ = sc_core::SC_ZERO_TIME;
    uint64_t busy_ = 0, count_ = 0;
    tlm_utils::peq_with_get<tlm::tlm_generic_payload> peq_;
    struct pending {
        tlm::tlm_generic_payload *t;
        sc_core::sc_time resp_delay;
    };
    std::vector<pending> pending_;
};

} // namespace pesim_sc

#endif
