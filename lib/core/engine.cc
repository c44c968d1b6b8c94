#include "core/engine.hh"

#include "base/strings.hh"
#include "classify/backscatter.hh"
#include "classify/classifier.hh"
#include "classify/envelope.hh"
#include "formats/esp.hh"
#include "formats/reader.hh"
#include "mime/message.hh"
#include "report/report.hh"
#include "report/stamp.hh"

namespace carom {

std::unique_ptr<Engine> Engine::build(const Options &options, Error &error) {
    std::unique_ptr<Engine> e(new Engine());
    e->options_ = options;
    formats::prepare();  // the readers' shared tables are built with the first engine, not by its first message
    carom_status_t st = CAROM_OK;
    e->rules_ = rules::compile(options.rule_sources, options.builtin_rules, options.limits.rule_memory(), st,
                               error.message);
    if (!e->rules_) {
        error.status = st == CAROM_OK ? CAROM_E_RULES : st;
        return nullptr;
    }
    return e;
}

std::unique_ptr<Result> Engine::classify(std::string_view bytes, bool explain) const {
    auto result = std::make_unique<Result>();
    classify(bytes, explain, *result);
    return result;
}

void Engine::classify(std::string_view bytes, bool explain, Result &out) const {
    out.explain = explain;
    const Limits &limits = options_.limits;

    if (formats::looks_like_json(bytes)) {
        classify_events(bytes, explain, out);
        return;
    }
    mime::Message msg;
    std::string error;
    // The bytes outlive msg (a local of this call), so the tree may view them in place.
    carom_status_t st = mime::parse(bytes, limits, msg, error, mime::Bytes::borrow);
    if (st != CAROM_OK) {
        out.status = st;
        out.message = error.empty() ? carom_status_string(st) : error;
        return;
    }

    Extraction ex;
    std::string body_scratch;  // body_text copies only when it must join or convert leaves
    const std::string &body = mime::body_text(msg, body_scratch);
    // Only judge_backscatter's relay check reads the Received chain; the output never shows it.
    const bool received = options_.backscatter && !options_.context.relays.empty();
    report::read_original(msg, options_.original_headers, ex.original, received);
    if (report::is_mdn(msg)) {
        ex.mdn = true;
        ex.format = "mdn";
    } else if (!report::read_arf(msg, ex)) {
        formats::Input in{msg, body, limits};
        bool known = formats::read_known(in, ex);
        // A challenge may mark itself "Auto-Submitted: auto-replied" (TMDA does): what it asks
        // of the sender, not the marker, says what it is.
        if (known && ex.auto_reply && options_.backscatter && is_challenge(msg)) {
            Extraction reset;
            reset.original = std::move(ex.original);
            ex = std::move(reset);
            known = false;
        }
        if (!known && !(options_.backscatter && read_notice(msg, ex))) formats::read_fallback(in, ex);
    }

    if (ex.records.size() > limits.recipients()) {
        out.status = CAROM_E_TOO_MANY_RECIPIENTS;
        out.message = "the message reports " + std::to_string(ex.records.size()) +
                      " recipients, more than the recipients limit of " + std::to_string(limits.recipients());
        return;
    }
    for (Record &r : ex.records) cut_utf8(r.diagnostic, limits.diagnostic_bytes());
    report::stamp_records(msg, ex);  // timestamp, sender, token: facts, before the verdict
    apply_envelope(options_.context, msg, ex);  // the VERP-decoded recipient

    out.format = ex.format;
    decide(*rules_, explain, ex, out);
    if (options_.backscatter) judge_backscatter(options_.context, msg, ex, out);
    out.original = std::move(ex.original);  // last reader of ex.original is judge_backscatter
}

void Engine::classify_events(std::string_view bytes, bool explain, Result &out) const {
    const Limits &limits = options_.limits;
    if (bytes.size() > limits.message_bytes()) {
        out.status = CAROM_E_TOO_LARGE;
        out.message = "the input is larger than the message_bytes limit of " + std::to_string(limits.message_bytes());
        return;
    }
    Extraction ex;
    std::string error;
    carom_status_t st = formats::read_esp_events(bytes, limits, ex, error);
    if (st != CAROM_OK) {
        out.status = st;
        out.message = std::move(error);
        return;
    }
    if (ex.records.size() > limits.recipients()) {
        out.status = CAROM_E_TOO_MANY_RECIPIENTS;
        out.message = "the events name more recipients than the recipients limit of " +
                      std::to_string(limits.recipients());
        return;
    }
    for (Record &r : ex.records) cut_utf8(r.diagnostic, limits.diagnostic_bytes());
    out.format = ex.format;
    decide(*rules_, explain, ex, out);
    out.original = std::move(ex.original);  // the sent message, when every event names the same
    // Events are about mail the ESP sent for us: no backscatter verdict to judge.
}

}  // namespace carom
