"""Who may read the activity report: the network's moderators (and superusers), or a staff
member given the permission by hand."""

from __future__ import annotations

import rules

from core.roles import MODERATORS_GROUP

is_moderator = rules.is_group_member(MODERATORS_GROUP)

view_activity_report = rules.is_active & rules.is_staff & (rules.is_superuser | is_moderator)

rules.add_perm("core.view_activity_report", view_activity_report)
