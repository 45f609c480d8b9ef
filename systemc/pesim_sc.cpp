// pesim as a SystemC/TLM-2.0 accelerator (pesim_sc.h, docs/systemc.md).
//
// Time. pesim's event engine plans each step's transfers in closed form
// one step ahead, so it runs ahead of SystemC time: cycle c of the run is
// SystemC time t0 + c * period, t0 being when START was written. The
// engine asks for DRAM transfers in program order with non-decreasing
// earliest starts; each becomes one transaction, sent at (LT: annotated
// with) its earliest start, and the target's timing comes back as the
// transfer's start, release and completion, rounded up to clock edges.
#include "pesim_sc.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace sc_core;

namespace pesim_sc {

namespace {

uint64_t ceil_div(uint64_t a, uint64_t b) { return b ? (a + b - 1) / b : 0; }

} // namespace

accelerator::accelerator(sc_module_name name, style s, sc_time quantum)
    : sc_module(name), regs("regs"), dram("dram"), irq("irq"), style_(s)
{
    regs.register_b_transport(this, &accelerator::reg_b_transport);
    dram.register_nb_transport_bw(this, &accelerator::nb_transport_bw);
    tlm_utils::tlm_quantumkeeper::set_global_quantum(quantum);
    qk_.reset();
    r_[REG_WEIGHTS_LO / 4] = static_cast<uint32_t>(WEIGHTS_BASE);
    r_[REG_WEIGHTS_HI / 4] = static_cast<uint32_t>(WEIGHTS_BASE >> 32);
    r_[REG_INPUTS_LO / 4] = static_cast<uint32_t>(INPUTS_BASE);
    r_[REG_INPUTS_HI / 4] = static_cast<uint32_t>(INPUTS_BASE >> 32);
    r_[REG_OUTPUTS_LO / 4] = static_cast<uint32_t>(OUTPUTS_BASE);
    r_[REG_OUTPUTS_HI / 4] = static_cast<uint32_t>(OUTPUTS_BASE >> 32);
    SC_HAS_PROCESS(accelerator);
    // The mapper and the engine run on this thread's stack.
    sc_spawn_options opts;
    opts.set_stack_size(16 << 20);
    sc_spawn(sc_bind(&accelerator::run_thread, this), "run", &opts);
    // `irq` has one driver: this method, woken whenever IRQ_STATUS or
    // IRQ_ENABLE change (from the run, or from a register write in the
    // writer's process); the line follows in the next delta.
    SC_METHOD(irq_method);
    sensitive << irq_ev_;
    dont_initialize();
}

void accelerator::irq_method()
{
    irq.write((r_[REG_IRQ_STATUS / 4] & r_[REG_IRQ_ENABLE / 4] & 1) != 0);
}

accelerator::~accelerator()
{
    gp_.clear_extension(&ext_); // owned by this module, not by the payload
}

uint32_t accelerator::add_arch(const struct pesim_arch &arch)
{
    archs_.push_back(arch);
    return static_cast<uint32_t>(archs_.size());
}

uint32_t accelerator::add_workload(const struct pesim_workload &wl)
{
    wls_.push_back(&wl);
    return static_cast<uint32_t>(wls_.size());
}

uint32_t accelerator::add_mapping(const struct pesim_mapping &m)
{
    maps_.push_back(m);
    return static_cast<uint32_t>(maps_.size());
}

// ---- the register map ----

void accelerator::reg_b_transport(tlm::tlm_generic_payload &t, sc_time &delay)
{
    (void)delay; // registers take no time
    uint64_t addr = t.get_address();
    tlm::tlm_response_status rs = tlm::TLM_OK_RESPONSE;
    if (t.get_data_length() != 4 || t.get_streaming_width() < 4)
        rs = tlm::TLM_BURST_ERROR_RESPONSE;
    else if (t.get_byte_enable_ptr())
        rs = tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
    else if (addr % 4 || addr >= REG_SIZE)
        rs = tlm::TLM_ADDRESS_ERROR_RESPONSE;
    else if (t.is_write()) {
        uint32_t v;
        std::memcpy(&v, t.get_data_ptr(), 4);
        rs = reg_write(static_cast<uint32_t>(addr), v);
    } else if (t.is_read()) {
        uint32_t v = 0;
        rs = reg_read(static_cast<uint32_t>(addr), v);
        if (rs == tlm::TLM_OK_RESPONSE)
            std::memcpy(t.get_data_ptr(), &v, 4);
    } else
        rs = tlm::TLM_COMMAND_ERROR_RESPONSE;
    t.set_response_status(rs);
}

tlm::tlm_response_status accelerator::reg_read(uint32_t addr, uint32_t &v)
{
    switch (addr) {
    case REG_ID: v = ID; break;
    case REG_VERSION: v = VERSION; break;
    case REG_CTRL: v = 0; break;
    case REG_STATUS: v = status_; break;
    case REG_ERROR: v = static_cast<uint32_t>(error_); break;
    case REG_CYCLES_LO: v = static_cast<uint32_t>(have_result_ ? result_.cycles : 0); break;
    case REG_CYCLES_HI: v = static_cast<uint32_t>(have_result_ ? result_.cycles >> 32 : 0); break;
    case REG_XFERS: v = static_cast<uint32_t>(xfers_); break;
    case REG_ARCH: case REG_WORKLOAD: case REG_LAYER: case REG_DATAFLOW: case REG_MAPPING:
    case REG_BATCH: case REG_IRQ_ENABLE: case REG_IRQ_STATUS:
    case REG_WEIGHTS_LO: case REG_WEIGHTS_HI: case REG_INPUTS_LO: case REG_INPUTS_HI:
    case REG_OUTPUTS_LO: case REG_OUTPUTS_HI:
        v = r_[addr / 4];
        break;
    default: return tlm::TLM_ADDRESS_ERROR_RESPONSE; // a hole in the map
    }
    return tlm::TLM_OK_RESPONSE;
}

tlm::tlm_response_status accelerator::reg_write(uint32_t addr, uint32_t v)
{
    bool busy = status_ == STATUS_BUSY;
    switch (addr) {
    case REG_ID: case REG_VERSION: case REG_STATUS: case REG_ERROR: case REG_CYCLES_LO:
    case REG_CYCLES_HI: case REG_XFERS:
        return tlm::TLM_COMMAND_ERROR_RESPONSE; // read-only
    case REG_CTRL:
        if (v & ~static_cast<uint32_t>(CTRL_START | CTRL_CLEAR))
            return tlm::TLM_GENERIC_ERROR_RESPONSE; // reserved bits
        if (busy)
            return tlm::TLM_COMMAND_ERROR_RESPONSE; // start or clear while busy
        if (v & CTRL_CLEAR) {
            status_ = STATUS_IDLE;
            r_[REG_IRQ_STATUS / 4] = 0;
            irq_ev_.notify();
        }
        if (v & CTRL_START) {
            int rc = start_check();
            if (rc) {
                error_ = rc;
                return tlm::TLM_COMMAND_ERROR_RESPONSE;
            }
            error_ = 0;
            status_ = STATUS_BUSY;
            start_ev_.notify(SC_ZERO_TIME);
        }
        return tlm::TLM_OK_RESPONSE;
    case REG_IRQ_STATUS:
        r_[addr / 4] &= ~v; // write 1 to clear
        irq_ev_.notify();
        return tlm::TLM_OK_RESPONSE;
    case REG_IRQ_ENABLE:
        r_[addr / 4] = v & 1;
        irq_ev_.notify();
        return tlm::TLM_OK_RESPONSE;
    case REG_ARCH: case REG_WORKLOAD: case REG_MAPPING:
        if (busy)
            return tlm::TLM_COMMAND_ERROR_RESPONSE;
        {
            size_t n = addr == REG_ARCH ? archs_.size()
                       : addr == REG_WORKLOAD ? wls_.size() : maps_.size();
            bool zero_ok = addr == REG_MAPPING; // 0: the mapper
            if ((v == 0 && !zero_ok) || v > n)
                return tlm::TLM_COMMAND_ERROR_RESPONSE; // no such handle
        }
        r_[addr / 4] = v;
        return tlm::TLM_OK_RESPONSE;
    case REG_DATAFLOW:
        if (busy)
            return tlm::TLM_COMMAND_ERROR_RESPONSE;
        if (v >= pesim_df_count())
            return tlm::TLM_COMMAND_ERROR_RESPONSE;
        r_[addr / 4] = v;
        return tlm::TLM_OK_RESPONSE;
    case REG_LAYER: case REG_BATCH: case REG_WEIGHTS_LO: case REG_WEIGHTS_HI:
    case REG_INPUTS_LO: case REG_INPUTS_HI: case REG_OUTPUTS_LO: case REG_OUTPUTS_HI:
        if (busy)
            return tlm::TLM_COMMAND_ERROR_RESPONSE;
        r_[addr / 4] = v; // checked at START
        return tlm::TLM_OK_RESPONSE;
    default:
        return tlm::TLM_ADDRESS_ERROR_RESPONSE;
    }
}

// What START needs, checked when it is written (a run's own failures
// end it in STATUS_ERROR instead).
int accelerator::start_check()
{
    uint32_t a = r_[REG_ARCH / 4], w = r_[REG_WORKLOAD / 4], m = r_[REG_MAPPING / 4];
    if (a == 0 || a > archs_.size() || w == 0 || w > wls_.size() || m > maps_.size())
        return PESIM_E_INVALID;
    if (r_[REG_LAYER / 4] >= wls_[w - 1]->count)
        return PESIM_E_NOTFOUND;
    if (archs_[a - 1].clock_mhz <= 0)
        return PESIM_E_INVALID;
    return 0;
}

// ---- the run ----

uint64_t accelerator::cycle_of(const sc_time &t) const
{
    // integers in SystemC's time resolution: exact at any clock
    if (t <= t0_)
        return 0;
    return ceil_div((t - t0_).value(), period_.value());
}

// Bursts walk each data space's region in order from its base register,
// wrapping to the base; a burst never crosses the region's end.
uint64_t accelerator::address(enum pesim_ds ds, uint64_t len)
{
    static const reg lo[PESIM_DS_COUNT] = {REG_WEIGHTS_LO, REG_INPUTS_LO, REG_OUTPUTS_LO};
    uint64_t base = r_[lo[ds] / 4] | static_cast<uint64_t>(r_[lo[ds] / 4 + 1]) << 32;
    uint64_t size = region_[ds] > len ? region_[ds] : len;
    if (cursor_[ds] + len > size)
        cursor_[ds] = 0;
    uint64_t a = base + cursor_[ds];
    cursor_[ds] += len;
    return a;
}

int accelerator::transfer_cb(void *ctx, const struct pesim_dram_request *rq,
                             struct pesim_dram_timing *out)
{
    return static_cast<accelerator *>(ctx)->transfer(rq, out);
}

int accelerator::transfer(const struct pesim_dram_request *rq, struct pesim_dram_timing *out)
{
    out->start = out->release = out->done = rq->earliest;
    if (rq->bytes == 0)
        return 0;
    if (data_.size() < rq->bytes)
        data_.resize(rq->bytes);
    bytes_[rq->ds][rq->write] += rq->bytes;
    xfers_++;
    std::memset(data_.data(), 0, rq->bytes);
    gp_.set_command(rq->write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    gp_.set_address(address(rq->ds, rq->bytes));
    gp_.set_data_ptr(data_.data());
    gp_.set_data_length(static_cast<unsigned>(rq->bytes));
    gp_.set_streaming_width(static_cast<unsigned>(rq->bytes)); // one incrementing burst
    // every byte of every word (a word's padding bits included); the
    // pattern of one word repeats over the burst
    gp_.set_byte_enable_ptr(be_.data());
    gp_.set_byte_enable_length(static_cast<unsigned>(rq->words ? rq->bytes / rq->words : 1));
    gp_.set_dmi_allowed(false);
    gp_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_time want = at(rq->earliest);
    sc_time begin, release, done;
    if (style_ == style::lt) {
        // Temporal decoupling: the local time is the transfer's start; the
        // thread yields to SystemC once it is a quantum ahead.
        qk_.set(want > sc_time_stamp() ? want - sc_time_stamp() : SC_ZERO_TIME);
        if (qk_.need_sync())
            qk_.sync();
        sc_time delay = qk_.get_local_time();
        sc_time issued = sc_time_stamp() + delay;
        ext_.valid = false;
        dram->b_transport(gp_, delay);
        done = sc_time_stamp() + delay;
        if (ext_.valid) {
            begin = sc_time_stamp() + ext_.begin;
            release = sc_time_stamp() + ext_.accept;
        } else {
            begin = issued;
            release = done;
        }
    } else {
        // Approximately timed: BEGIN_REQ at the start; END_REQ frees DRAM
        // for the next request, BEGIN_RESP completes (the time it takes
        // effect, with its annotation). One transaction outstanding.
        if (want > sc_time_stamp())
            wait(want - sc_time_stamp());
        begin = sc_time_stamp();
        at_end_req_ = at_resp_ = false;
        tlm::tlm_phase ph = tlm::BEGIN_REQ;
        sc_time delay = SC_ZERO_TIME;
        tlm::tlm_sync_enum s = dram->nb_transport_fw(gp_, ph, delay);
        if (s == tlm::TLM_COMPLETED) {
            at_end_req_ = at_resp_ = true;
            at_end_req_t_ = at_resp_t_ = sc_time_stamp() + delay;
        } else if (s == tlm::TLM_UPDATED) {
            if (ph == tlm::END_REQ) {
                at_end_req_ = true;
                at_end_req_t_ = sc_time_stamp() + delay;
            } else if (ph == tlm::BEGIN_RESP) {
                at_end_req_ = at_resp_ = true;
                at_end_req_t_ = at_resp_t_ = sc_time_stamp() + delay;
                tlm::tlm_phase end = tlm::END_RESP;
                sc_time d = delay;
                dram->nb_transport_fw(gp_, end, d);
            }
        }
        while (!at_end_req_ || !at_resp_)
            wait(at_ev_);
        release = at_end_req_t_;
        done = at_resp_t_;
    }
    if (gp_.get_response_status() != tlm::TLM_OK_RESPONSE)
        return PESIM_E_IO;
    if (begin < want)
        begin = want;
    if (release < begin)
        release = begin;
    if (done < release)
        done = release;
    out->start = cycle_of(begin);
    out->release = cycle_of(release);
    out->done = cycle_of(done);
    if (out->start < rq->earliest)
        out->start = rq->earliest;
    return 0;
}

tlm::tlm_sync_enum accelerator::nb_transport_bw(tlm::tlm_generic_payload &t, tlm::tlm_phase &ph,
                                                sc_time &delay)
{
    (void)t;
    if (ph == tlm::END_REQ) {
        at_end_req_ = true;
        at_end_req_t_ = sc_time_stamp() + delay;
        at_ev_.notify(SC_ZERO_TIME);
        return tlm::TLM_ACCEPTED;
    }
    if (ph == tlm::BEGIN_RESP) {
        if (!at_end_req_) { // BEGIN_RESP ends the request too
            at_end_req_ = true;
            at_end_req_t_ = sc_time_stamp() + delay;
        }
        at_resp_ = true;
        at_resp_t_ = sc_time_stamp() + delay;
        at_ev_.notify(SC_ZERO_TIME);
        ph = tlm::END_RESP;
        return tlm::TLM_COMPLETED; // END_RESP on the return path
    }
    return tlm::TLM_ACCEPTED;
}

void accelerator::run_thread()
{
    for (;;) {
        wait(start_ev_);
        const struct pesim_arch &arch = archs_[r_[REG_ARCH / 4] - 1];
        const struct pesim_workload &wl = *wls_[r_[REG_WORKLOAD / 4] - 1];
        layer_ = wl.layers[r_[REG_LAYER / 4]];
        have_result_ = false;
        diags_text_.clear();
        std::memset(bytes_, 0, sizeof bytes_);
        std::memset(cursor_, 0, sizeof cursor_);
        xfers_ = 0;
        qk_.reset();
        t0_ = sc_time_stamp();
        period_ps_ = static_cast<uint64_t>(std::llround(1e6 / arch.clock_mhz));
        period_ = sc_time(static_cast<double>(period_ps_), SC_PS);
        pesim_diags *d = pesim_diags_create();
        int rc = d ? 0 : PESIM_E_NOMEM;
        if (!rc && r_[REG_BATCH / 4]) {
            struct pesim_workload one = {};
            std::snprintf(one.name, sizeof one.name, "%s", wl.name);
            one.count = 1;
            one.layers = &layer_;
            rc = pesim_workload_set_batch(&one, r_[REG_BATCH / 4], d);
        }
        struct pesim_mapping map = {};
        if (!rc) {
            if (r_[REG_MAPPING / 4])
                map = maps_[r_[REG_MAPPING / 4] - 1];
            else
                rc = pesim_sim_map(pesim_df_get(r_[REG_DATAFLOW / 4]), &arch, &layer_,
                                   PESIM_OBJECTIVE_LATENCY, PESIM_ENGINE_EVENT, &map, d);
        }
        if (!rc) {
            uint32_t wb[PESIM_DS_COUNT];
            for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
                wb[ds] = pesim_arch_word_bytes(&arch, static_cast<enum pesim_ds>(ds));
            const uint64_t *dim = layer_.dim;
            region_[PESIM_DS_WEIGHTS] = dim[PESIM_DIM_G] * dim[PESIM_DIM_M] * dim[PESIM_DIM_C] *
                                        dim[PESIM_DIM_R] * dim[PESIM_DIM_S] * wb[PESIM_DS_WEIGHTS];
            region_[PESIM_DS_INPUTS] = dim[PESIM_DIM_N] * dim[PESIM_DIM_G] * dim[PESIM_DIM_C] *
                                       pesim_layer_h(&layer_) * pesim_layer_w(&layer_) *
                                       wb[PESIM_DS_INPUTS];
            region_[PESIM_DS_OUTPUTS] = dim[PESIM_DIM_N] * dim[PESIM_DIM_G] * dim[PESIM_DIM_M] *
                                        dim[PESIM_DIM_P] * dim[PESIM_DIM_Q] * wb[PESIM_DS_OUTPUTS];
            be_.assign(64, 0xff);
            if (!gp_.get_extension<dram_timing>())
                gp_.set_extension(&ext_);
            struct pesim_dram_model model = {transfer_cb, this};
            rc = pesim_sim_layer_model(&arch, &layer_, &map, &model, "systemc", &result_, d);
        }
        if (d) {
            for (size_t i = 0; i < pesim_diags_count(d); i++) {
                const struct pesim_diag *x = pesim_diags_get(d, i);
                diags_text_ += x->msg;
                diags_text_ += '\n';
            }
            pesim_diags_destroy(d);
        }
        if (!rc) {
            // The accelerator is done at cycle `cycles`, however far ahead
            // of SystemC time the engine ran.
            sc_time end = at(result_.cycles);
            if (style_ == style::lt) {
                qk_.set(end > sc_time_stamp() ? end - sc_time_stamp() : SC_ZERO_TIME);
                qk_.sync();
            } else if (end > sc_time_stamp())
                wait(end - sc_time_stamp());
            have_result_ = true;
            status_ = STATUS_DONE;
        } else {
            error_ = rc;
            status_ = STATUS_ERROR;
        }
        r_[REG_IRQ_STATUS / 4] |= 1;
        irq_ev_.notify();
    }
}

std::string accelerator::json() const
{
    if (!have_result_)
        return std::string();
    const struct pesim_arch &arch = archs_[r_[REG_ARCH / 4] - 1];
    const struct pesim_workload &wl = *wls_[r_[REG_WORKLOAD / 4] - 1];
    struct pesim_run run = {};
    run.dataflow = r_[REG_MAPPING / 4] ? "mapping" : pesim_df_name(pesim_df_get(r_[REG_DATAFLOW / 4]));
    run.layers = &result_;
    run.n = 1;
    pesim_sim_total(&arch, &result_, 1, &run.total);
    /* the binding maps for latency (start()), or runs the mapping given */
    struct pesim_report_ctx ctx = {&arch, wl.name, NULL, PESIM_OBJECTIVE_LATENCY,
                                   r_[REG_MAPPING / 4] != 0};
    char *buf = nullptr;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return std::string();
    pesim_report_run(f, PESIM_FORMAT_JSON, &ctx, &run);
    std::fclose(f);
    std::string s(buf, len);
    std::free(buf);
    return s;
}

// ---- the reference memory ----

memory::memory(sc_module_name name, sc_time period, double bytes_per_cycle,
               uint32_t latency_cycles, uint64_t size_bytes)
    : sc_module(name), port("port"), other("other"), period_(period), latency_(latency_cycles),
      size_(size_bytes), peq_("peq")
{
    // pesim's fixed point (memory/dram.c): 2^-20 byte per cycle; 0: unlimited
    double fp = std::ldexp(bytes_per_cycle, 20);
    rate_fp_ = bytes_per_cycle <= 0 ? 0 : fp >= 1 ? static_cast<uint64_t>(std::llround(fp)) : 1;
    port.register_b_transport(this, &memory::b_transport);
    port.register_nb_transport_fw(this, &memory::nb_transport_fw);
    other.register_b_transport(this, &memory::other_b_transport);
    SC_HAS_PROCESS(memory);
    SC_THREAD(at_thread);
}

uint64_t memory::channel_cycles(uint64_t bytes) const
{
    return slowdown_ * (rate_fp_ ? ceil_div(bytes << 20, rate_fp_) : 0);
}

bool memory::check(tlm::tlm_generic_payload &t)
{
    uint64_t a = t.get_address(), n = t.get_data_length();
    if (a >= size_ || n > size_ - a) {
        t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return false;
    }
    if (t.get_streaming_width() < n) {
        t.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return false;
    }
    if (t.is_read())
        std::memset(t.get_data_ptr(), 0, n);
    t.set_response_status(tlm::TLM_OK_RESPONSE);
    return true;
}

void memory::timing(tlm::tlm_generic_payload &t, const sc_time &arrival, sc_time &begin,
                    sc_time &release, sc_time &done)
{
    uint64_t c = channel_cycles(t.get_data_length());
    begin = arrival > free_ ? arrival : free_;
    release = begin + period_ * static_cast<double>(c);
    done = release + period_ * static_cast<double>(t.is_read() ? latency_ + extra_ : 0);
    free_ = release;
    busy_ += c;
    count_++;
}

void memory::b_transport(tlm::tlm_generic_payload &t, sc_time &delay)
{
    if (!check(t))
        return;
    sc_time begin, release, done;
    timing(t, sc_time_stamp() + delay, begin, release, done);
    delay = done - sc_time_stamp();
    dram_timing *x = t.get_extension<dram_timing>();
    if (x) {
        x->begin = begin - sc_time_stamp();
        x->accept = release - sc_time_stamp();
        x->valid = true;
    }
}

tlm::tlm_sync_enum memory::nb_transport_fw(tlm::tlm_generic_payload &t, tlm::tlm_phase &ph,
                                           sc_time &delay)
{
    if (ph == tlm::BEGIN_REQ) {
        peq_.notify(t, delay);
        return tlm::TLM_ACCEPTED;
    }
    return tlm::TLM_COMPLETED; // END_RESP
}

// AT: requests in arrival order; END_REQ once the data has moved over the
// channel, then BEGIN_RESP annotated with the latency that follows.
void memory::at_thread()
{
    for (;;) {
        wait(peq_.get_event());
        while (tlm::tlm_generic_payload *t = peq_.get_next_transaction()) {
            sc_time begin, release, done;
            bool ok = check(*t);
            if (ok)
                timing(*t, sc_time_stamp(), begin, release, done);
            else
                release = done = sc_time_stamp();
            if (release > sc_time_stamp())
                wait(release - sc_time_stamp());
            tlm::tlm_phase ph = tlm::END_REQ;
            sc_time d = SC_ZERO_TIME;
            port->nb_transport_bw(*t, ph, d);
            ph = tlm::BEGIN_RESP;
            d = done - sc_time_stamp();
            port->nb_transport_bw(*t, ph, d);
        }
    }
}

} // namespace pesim_sc
