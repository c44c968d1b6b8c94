#include "formats/reader.hh"

#include "report/report.hh"

namespace carom::formats {

const std::vector<Reader> &registry() {
    static const std::vector<Reader> table = {};
    return table;
}

bool read(const Input &in, Extraction &ex) {
    for (const Reader &r : registry()) {
        if (!r.detect(in)) continue;
        Extraction tmp;
        tmp.original = ex.original;
        if (r.read(in, tmp) && !tmp.records.empty()) {
            if (tmp.format.empty()) tmp.format = r.name;
            ex = std::move(tmp);
            return true;
        }
    }
    if (report::read_dsn(in.msg, ex)) return true;
    if (report::read_auto_reply(in.msg, ex)) return true;
    return read_fallback(in, ex);
}

bool read_fallback(const Input &, Extraction &) { return false; }

}  // namespace carom::formats
