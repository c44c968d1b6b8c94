// The operator's fields of each record: timestamp fallback, sender, token. See stamp.hh.
#include "report/stamp.hh"

#include "base/sha256.hh"
#include "base/strings.hh"
#include "report/addresses.hh"
#include "report/dates.hh"
#include "report/dsn_fields.hh"
#include "report/envelope.hh"
#include "report/parts.hh"

namespace carom::report {

namespace {

// local@domain with both parts non-empty: what the sender field accepts ("<>", "MAILER-DAEMON"
// and a bare domain are not a sender).
bool is_address(std::string_view a) {
    const std::size_t at = a.rfind('@');
    return at != std::string_view::npos && at > 0 && at + 1 < a.size();
}

// The address with its domain in lower case (the local part is the mailbox's own business,
// RFC 5321 2.4, and stays as written).
std::string with_lower_domain(std::string a) {
    const std::size_t at = a.rfind('@');
    for (std::size_t i = at + 1; i < a.size(); ++i) a[i] = to_lower(a[i]);
    return a;
}

// The first readable Arrival-Date of a delivery-status part outside attached messages (the parts
// read_dsn reads first): for the records of a reader that read the bounce's text instead.
std::string report_arrival(const mime::Message &msg) {
    std::string arrival;
    walk(msg.root, false, [&](const mime::Part &p, bool inside) {
        if (!arrival.empty() || inside || !p.children.empty() || !is_delivery_status(p)) return;
        DsnScan s;
        scan_dsn(p.text, s);
        for (std::size_t k : s.per_message)
            if (s.fields[k].id == FieldId::ArrivalDate && arrival.empty()) arrival = rfc3339_date(s.fields[k].value);
    });
    return arrival;
}

}  // namespace

std::string record_token(std::string_view sender, std::string_view recipient, std::string_view key) {
    std::string text = lower(sender);
    text += kTokenSeparator;
    text += lower(recipient);
    text += kTokenSeparator;
    text += key;
    return sha256_hex(text);
}

std::string bounce_sender(const Original &original, const mime::Headers &bounce) {
    // SRS (a forwarder's rewriting) and BATV (our tag) wrap the address we sent from: undone.
    auto sender = [](std::string_view a) {
        std::string s = unwrap_return_address(a);
        return with_lower_domain(is_address(s) ? std::move(s) : std::string(a));
    };
    if (is_address(original.return_path)) return sender(original.return_path);
    if (is_address(original.from)) return sender(original.from);
    // The bounce goes back to the envelope sender; its To says where it went.
    for (const std::string_view *to : bounce.all("To"))
        for (std::string &a : address_list(*to))
            if (is_address(a)) return sender(a);
    return "";
}

void stamp_records(const mime::Message &msg, Extraction &ex) {
    if (ex.records.empty()) return;
    // The report's Arrival-Date and the bounce's own Date, read once and only when a record needs them.
    std::string arrival, date;
    bool dates_read = false;
    const std::string sender = bounce_sender(ex.original, msg.root.headers);
    const std::string &key = !ex.original.message_id.empty() ? ex.original.message_id : ex.original.date;
    for (Record &r : ex.records) {
        if (r.timestamp.empty()) {
            if (!dates_read) {
                arrival = report_arrival(msg);
                if (const std::string_view *v = msg.root.headers.get("Date")) date = rfc3339_date(*v);
                dates_read = true;
            }
            if (!arrival.empty()) {
                r.timestamp = arrival;
                r.timestamp_source = "arrival";
            } else if (!date.empty()) {
                r.timestamp = date;
                r.timestamp_source = "date";
            }
        }
        r.sender = sender;
        // Records of the readers of a bounce's text: their recipient came from the text.
        if (r.recipient.empty())
            r.recipient_source.clear();
        else if (r.recipient_source.empty())
            r.recipient_source = "text";
        r.token = record_token(sender, r.recipient, key);
    }
}

}  // namespace carom::report
