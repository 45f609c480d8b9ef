// Register-map misuse returns TLM error responses and never crashes:
// unaligned, out-of-range and hole addresses, bursts and byte enables,
// writes to read-only registers, handles that do not exist, START with
// nothing set up or a layer out of range, START and configuration writes
// while busy, a mapping that does not fit (the run ends in STATUS_ERROR),
// a DRAM target that answers with an error (likewise). Then a good run,
// CLEAR, and a second run on the same module.
#include "common.h"

using namespace sc_core;
using namespace pesim_sc;

namespace {

struct tb : sc_module {
    driver_port bus{"bus"};
    sc_in<bool> irq{"irq"};
    uint32_t bad_map = 0;
    size_t layer = 0;
    explicit tb(sc_module_name nm) : sc_module(nm)
    {
        SC_HAS_PROCESS(tb);
        SC_THREAD(main);
    }
    void wait_irq()
    {
        while (!irq.read())
            wait(irq.posedge_event());
    }
    void main()
    {
        uint32_t v = 0;
        CHECK_EQ(bus.read(REG_ID), ID);
        CHECK_EQ(bus.read(REG_VERSION), VERSION);
        CHECK_EQ(bus.read(REG_STATUS), STATUS_IDLE);
        CHECK_EQ(bus.access(false, 0x02, v), tlm::TLM_ADDRESS_ERROR_RESPONSE);   // unaligned
        CHECK_EQ(bus.access(true, 0x15, v), tlm::TLM_ADDRESS_ERROR_RESPONSE);    // unaligned
        CHECK_EQ(bus.access(false, 0x1000, v), tlm::TLM_ADDRESS_ERROR_RESPONSE); // beyond the map
        CHECK_EQ(bus.access(false, REG_SIZE, v), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        CHECK_EQ(bus.access(false, 0x34, v), tlm::TLM_ADDRESS_ERROR_RESPONSE);   // a hole
        CHECK_EQ(bus.access(false, REG_ID, v, 8), tlm::TLM_BURST_ERROR_RESPONSE); // 8 bytes
        CHECK_EQ(bus.access(false, REG_ID, v, 2), tlm::TLM_BURST_ERROR_RESPONSE);
        unsigned char be[4] = {0xff, 0, 0xff, 0};
        CHECK_EQ(bus.access(true, REG_LAYER, v, 4, be), tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        CHECK_EQ(bus.write(REG_ID, 1), tlm::TLM_COMMAND_ERROR_RESPONSE);          // read-only
        CHECK_EQ(bus.write(REG_STATUS, 0), tlm::TLM_COMMAND_ERROR_RESPONSE);
        CHECK_EQ(bus.write(REG_CYCLES_LO, 0), tlm::TLM_COMMAND_ERROR_RESPONSE);
        CHECK_EQ(bus.write(REG_CTRL, 0x80), tlm::TLM_GENERIC_ERROR_RESPONSE);     // reserved bits
        // handles that do not exist
        CHECK_EQ(bus.write(REG_ARCH, 0), tlm::TLM_COMMAND_ERROR_RESPONSE);
        CHECK_EQ(bus.write(REG_ARCH, 2), tlm::TLM_COMMAND_ERROR_RESPONSE);
        CHECK_EQ(bus.write(REG_WORKLOAD, 7), tlm::TLM_COMMAND_ERROR_RESPONSE);
        CHECK_EQ(bus.write(REG_MAPPING, 9), tlm::TLM_COMMAND_ERROR_RESPONSE);
        CHECK_EQ(bus.write(REG_DATAFLOW, 1000), tlm::TLM_COMMAND_ERROR_RESPONSE);
        CHECK_EQ(bus.read(REG_ARCH), 0);
        // START with nothing set up
        CHECK_EQ(bus.write(REG_CTRL, CTRL_START), tlm::TLM_COMMAND_ERROR_RESPONSE);
        CHECK_EQ(bus.read(REG_ERROR), (uint32_t)PESIM_E_INVALID);
        CHECK_EQ(bus.read(REG_STATUS), STATUS_IDLE);
        CHECK_EQ(bus.write(REG_ARCH, 1), tlm::TLM_OK_RESPONSE);
        CHECK_EQ(bus.write(REG_WORKLOAD, 1), tlm::TLM_OK_RESPONSE);
        CHECK_EQ(bus.write(REG_LAYER, 100), tlm::TLM_OK_RESPONSE);
        CHECK_EQ(bus.write(REG_CTRL, CTRL_START), tlm::TLM_COMMAND_ERROR_RESPONSE);
        CHECK_EQ(bus.read(REG_ERROR), (uint32_t)PESIM_E_NOTFOUND);
        CHECK_EQ(bus.write(REG_IRQ_ENABLE, 1), tlm::TLM_OK_RESPONSE);

        // a mapping that does not fit: the run ends in STATUS_ERROR
        CHECK_EQ(bus.write(REG_LAYER, (uint32_t)layer), tlm::TLM_OK_RESPONSE);
        CHECK_EQ(bus.write(REG_MAPPING, bad_map), tlm::TLM_OK_RESPONSE);
        CHECK_EQ(bus.write(REG_CTRL, CTRL_START), tlm::TLM_OK_RESPONSE);
        wait_irq();
        CHECK_EQ(bus.read(REG_STATUS), STATUS_ERROR);
        CHECK(bus.read(REG_ERROR) != 0);
        CHECK_EQ(bus.write(REG_CTRL, CTRL_CLEAR), tlm::TLM_OK_RESPONSE);
        CHECK_EQ(bus.read(REG_STATUS), STATUS_IDLE);
        wait(SC_ZERO_TIME); // the line follows in the next delta
        CHECK(!irq.read());

        // a DRAM target that answers with an address error
        CHECK_EQ(bus.write(REG_MAPPING, 0), tlm::TLM_OK_RESPONSE);
        CHECK_EQ(bus.write(REG_WEIGHTS_HI, 0x100), tlm::TLM_OK_RESPONSE); // past the memory
        CHECK_EQ(bus.write(REG_CTRL, CTRL_START), tlm::TLM_OK_RESPONSE);
        wait_irq();
        CHECK_EQ(bus.read(REG_STATUS), STATUS_ERROR);
        CHECK_EQ(bus.read(REG_ERROR), (uint32_t)PESIM_E_SIM);
        CHECK_EQ(bus.write(REG_CTRL, CTRL_CLEAR), tlm::TLM_OK_RESPONSE);
        CHECK_EQ(bus.write(REG_WEIGHTS_HI, 0), tlm::TLM_OK_RESPONSE);

        // a good run; while busy, START, CLEAR and configuration fail
        CHECK_EQ(bus.write(REG_CTRL, CTRL_START), tlm::TLM_OK_RESPONSE);
        CHECK_EQ(bus.read(REG_STATUS), STATUS_BUSY);
        wait(sc_time(10, SC_NS));
        CHECK_EQ(bus.read(REG_STATUS), STATUS_BUSY);
        CHECK_EQ(bus.write(REG_CTRL, CTRL_START), tlm::TLM_COMMAND_ERROR_RESPONSE);
        CHECK_EQ(bus.write(REG_CTRL, CTRL_CLEAR), tlm::TLM_COMMAND_ERROR_RESPONSE);
        CHECK_EQ(bus.write(REG_ARCH, 1), tlm::TLM_COMMAND_ERROR_RESPONSE);
        CHECK_EQ(bus.write(REG_LAYER, 0), tlm::TLM_COMMAND_ERROR_RESPONSE);
        CHECK_EQ(bus.write(REG_WEIGHTS_LO, 0), tlm::TLM_COMMAND_ERROR_RESPONSE);
        wait_irq();
        CHECK_EQ(bus.read(REG_STATUS), STATUS_DONE);
        CHECK_EQ(bus.read(REG_ERROR), 0);
        uint64_t first = bus.cycles();
        CHECK(first > 0);
        CHECK(bus.read(REG_XFERS) > 0);
        // IRQ_STATUS is write-1-to-clear; disabling the interrupt drops it
        CHECK_EQ(bus.write(REG_IRQ_ENABLE, 0), tlm::TLM_OK_RESPONSE);
        wait(SC_ZERO_TIME);
        CHECK(!irq.read());
        CHECK_EQ(bus.read(REG_IRQ_STATUS), 1);
        CHECK_EQ(bus.write(REG_IRQ_STATUS, 1), tlm::TLM_OK_RESPONSE);
        CHECK_EQ(bus.read(REG_IRQ_STATUS), 0);
        CHECK_EQ(bus.write(REG_IRQ_ENABLE, 1), tlm::TLM_OK_RESPONSE);
        wait(SC_ZERO_TIME);
        // START again from DONE (no CLEAR needed): the same cycles
        CHECK_EQ(bus.write(REG_CTRL, CTRL_START), tlm::TLM_OK_RESPONSE);
        wait_irq();
        CHECK_EQ(bus.read(REG_STATUS), STATUS_DONE);
        CHECK_EQ(bus.cycles(), first);
        sc_stop();
    }
};

} // namespace

int sc_main(int, char **)
{
    struct pesim_arch arch;
    struct pesim_workload wl;
    load("eyeriss-v1", arch, wl);
    size_t layer = layer_index(wl, "CONV2");
    accelerator acc("acc", style::at);
    memory mem("mem", sc_time(1e6 / arch.clock_mhz, SC_PS), pesim_arch_dram_bytes_per_cycle(&arch),
               arch.dram.latency_cycles, 1ull << 32);
    tb bench("tb");
    sc_signal<bool> irq("irq");
    acc.dram.bind(mem.port);
    bench.bus.bind(acc.regs);
    acc.irq(irq);
    bench.irq(irq);
    acc.add_arch(arch);
    acc.add_workload(wl);
    // a well-formed mapping of the layer that does not fit eyeriss-v1's
    // buffers: the ws mapping of generic-16x16 (another array shape)
    struct pesim_arch other;
    pesim_diags *d = pesim_diags_create();
    struct pesim_mapping m;
    if (pesim_arch_load("generic-16x16", &other, d) ||
        pesim_sim_map(pesim_df_find("ws"), &other, &wl.layers[layer], PESIM_OBJECTIVE_LATENCY,
                      PESIM_ENGINE_EVENT, &m, d))
        std::abort();
    pesim_diags_destroy(d);
    bench.bad_map = acc.add_mapping(m);
    bench.layer = layer;
    sc_start();
    CHECK(acc.has_result());
    pesim_workload_free(&wl);
    std::printf("registers: %d failure(s)\n", failures);
    return failures ? 1 : 0;
}
