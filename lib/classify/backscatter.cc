#include "classify/classifier.hh"

namespace carom {

// The backscatter decision (docs/backscatter.md). Without decisive evidence the verdict stays
// unknown and the records keep their bounce class.
void judge_backscatter(const Context &context, const Extraction &ex, Result &out) {
    (void)context;
    (void)ex;
    out.backscatter.verdict = CAROM_VERDICT_UNKNOWN;
}

}  // namespace carom
