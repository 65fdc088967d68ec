"""Public routes: everybody, signed in or not, gets 200 (or 404 for what is not published)."""
from tests.permission_matrix import PERSONAS, SIGNED_IN, api, page
from tests.public.fixtures import finished_procedure, public_roadmaps

EVERYONE = {"anonymous": 200}
PUBLIC_PAGES = [
    ("public:index", "/public/"),
    ("public:calendar", "/public/calendar/?year=2026&month=4&kind=RPR&level=regional"),
    ("public:results", "/public/results/"),
    ("public:objectivity", "/public/objectivity/"),
    ("public:roadmap_list", "/public/roadmaps/"),
    ("public:feed_rss", "/public/feed/rss/"),
    ("public:feed_atom", "/public/feed/atom/"),
    ("public:embed", "/public/embed.json"),
]
PUBLIC_API = [
    ("public-calendar-list", "/api/v1/public/calendar/"),
    ("public-result-list", "/api/v1/public/results/"),
    ("public-objectivity-list", "/api/v1/public/objectivity/"),
]

CASES = [
    *(page(route, url, SIGNED_IN, others=EVERYONE) for route, url in PUBLIC_PAGES),
    page("public:procedure_results", lambda w: f"/public/results/{finished_procedure(w).code}/", SIGNED_IN,
         others=EVERYONE),
    # A procedure that is not finished has no public results page.
    page("public:procedure_results", "/public/results/NO-SUCH-CODE/", [], denied_status=404,
         others={"anonymous": 404}),
    page("public:roadmap_detail", lambda w: f"/public/roadmaps/{public_roadmaps(w)[0].pk}/", SIGNED_IN,
         others=EVERYONE),
    # A roadmap the ministry did not publish does not exist publicly.
    page("public:roadmap_detail", lambda w: f"/public/roadmaps/{public_roadmaps(w)[1].pk}/", [],
         denied_status=404, others={"anonymous": 404}),
    *(api(route, url, SIGNED_IN, others=EVERYONE) for route, url in PUBLIC_API),
    api("public-result-detail", lambda w: f"/api/v1/public/results/{finished_procedure(w).code}/", SIGNED_IN,
        others=EVERYONE),
]
assert all(set(case.expect) == set(PERSONAS) for case in CASES)
