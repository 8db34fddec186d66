"""The form framework: every data-entry form is a FormDialog (dialog.py) made of parts
found by name: the fields as declared (fields), their widgets (editors), the layout
(layout), the values and crash drafts (drafts), the ID number as it is typed
(id_number), the problems shown by their fields (problems), and the keys and closing
(keyboard).

The names forms use stay importable from here (`from fpdesk.gui.forms.base import
Field, FormDialog, shown, tr, describe_person`), as before the framework became a
package.  The parts are plain classes mixed into FormDialog: at run time `tr()` asks
for the form's own class, so a part's window strings name the "FormDialog" context
themselves.
"""

from fpdesk.gui.forms.base.dialog import FormDialog, describe_person
from fpdesk.gui.forms.base.drafts import DRAFT_DELAY_MS
from fpdesk.gui.forms.base.editors import (
    EDITORS,
    ComboEditor,
    DateEditor,
    Editor,
    IdNumberEditor,
    MultiLineEditor,
    NumberEditor,
)
from fpdesk.gui.forms.base.fields import CONTEXT, Field, shown, tr
from fpdesk.gui.forms.base.layout import FittingScrollArea

__all__ = [
    "CONTEXT",
    "DRAFT_DELAY_MS",
    "EDITORS",
    "ComboEditor",
    "DateEditor",
    "Editor",
    "Field",
    "FittingScrollArea",
    "FormDialog",
    "IdNumberEditor",
    "MultiLineEditor",
    "NumberEditor",
    "describe_person",
    "shown",
    "tr",
]
