#pragma once
// The building-permit pre-check (docs/api.md, "Permit pre-check"):
//
//   POST /api/permit-check    a proposed building as JSON (a footprint or a
//                             parcel id, floors, height, land use): the
//                             verdict and every rule where it stands
//
// The checker (layers/permit_check.hpp) is read before the server listens
// and again, beside the one served, when the city watcher sees a commit
// that changed what it reads; requests never wait for a read. A check runs
// off the io threads (a large footprint meets many parcels), and nothing is
// stored: the route is served without --writable.

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/permit_check.hpp>
#include <lantern/tileserver/http.hpp>

namespace lantern::tileserver {

class PermitApi {
public:
    using Respond = std::function<void(Response)>;
    // Runs a check off the caller's thread (the render pool); empty: inline.
    using Submit = std::function<void(std::function<void()>)>;

    // Reads the city at once.
    PermitApi(std::string city_path, Submit submit);

    // Reads the checker again when what it reads changed, and swaps it in
    // once it is ready; requests meanwhile are checked by the one before.
    // Not called by two threads at once (the city watcher calls it).
    void reload();

    // Answers through `respond`: 415 for a body that is not declared JSON,
    // 400 for one that is not a proposal or one the city cannot check
    // here (its message names the problem), else 200 with the verdict and
    // its rules, a failing verdict included. Never throws.
    void check(const Request& request, const Respond& respond);

private:
    struct Served {
        std::string key;  // PermitChecker::inputs_key when read
        std::shared_ptr<const layers::PermitChecker> checker;
    };

    std::string m_city_path;
    Submit m_submit;
    std::unique_ptr<core::Storage> m_storage;  // the reads' own connection
    std::atomic<std::shared_ptr<const Served>> m_served;
};

// The answer to a proposal's body (JSON text): 200 with the check, or 400
// naming what is wrong with the body or with where the building stands (a
// footprint that is not valid, or not inside the city). Throws only for
// failures of the city's data, not of the body.
Response permit_check_response(const layers::PermitChecker& checker, std::string_view body);

}  // namespace lantern::tileserver
