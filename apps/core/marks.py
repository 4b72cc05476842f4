"""Every URL declares what it exposes; the access walk test reads these marks.

`personal_data` views must deny strangers and log each read; `public` views need no login;
`creates_personal_data` views show a blank form and log the record they create; `aggregate` views show no personal data (counts only) and are still deny-by-default. A view with
no mark fails the walk test, so a new URL cannot slip past the access rules unnoticed.
"""

PERSONAL = "personal"
CREATE = "create"
OWN_LIST = "own_list"
WRITE = "write"
AGGREGATE = "aggregate"
TEAM_PAGE = "team_page"
PUBLIC = "public"
ACCOUNT = "account"
DISCLOSURE = "disclosure"
TEAM_MEETING = "team_meeting"


def _mark(kind):
    def decorator(view):
        view.systeemi_exposure = kind
        return view

    return decorator


personal_data = _mark(PERSONAL)
# A blank form that creates personal data: denied like personal pages; the write itself is logged.
creates_personal_data = _mark(CREATE)
# The caller's own work list ("my deadlines"): open to every professional, shows only what the gate
# lets them see, and logs what it shows.
own_work_list = _mark(OWN_LIST)
# A POST-only action on personal data (e.g. mark a step done): denied like personal pages; the
# change is logged by its service.
changes_personal_data = _mark(WRITE)
# A POST-only action on a team's meeting (its agenda, times, attendance, approval): the team's
# members only (404 for everyone else), 403 for a role that may not prepare or approve it. What it
# changes in a family's record (an item added, who attended) is logged by its service; answered as
# a part of the page (htmx), it logs the families that part lists.
changes_team_meeting = _mark(TEAM_MEETING)
# Counts only, no personal data: for the team's members and the managers whose scope covers the
# team (or, without a team in the URL, the manager's whole scope); 404 for everyone else.
aggregate = _mark(AGGREGATE)
# A team's own working page that names no family (its list of meetings): members only.
team_page = _mark(TEAM_PAGE)
public = _mark(PUBLIC)
own_account = _mark(ACCOUNT)
# A download that hands pseudonymised personal data out (the research export): denied like personal
# pages to everyone without the permission, and every download writes a disclosure-log entry.
discloses_pseudonymised_data = _mark(DISCLOSURE)
