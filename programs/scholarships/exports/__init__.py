"""The scholarship lists as files (see cooperation.exports): each list page's rows, filters and sort, as the viewer
sees them.

Applicants' and scholars' names, emails and dates of birth follow each page's rule: where the page shows them to
everyone who reaches it (a reviewer's own assignments, the host institution's scholars) the source says so; on the
workspace lists they are ``personal`` columns, left out for those without ``SEE_PERSONAL_DATA`` (auditors), and on
the application list the email and date of birth show only on the rows the privacy rule admits.
"""
