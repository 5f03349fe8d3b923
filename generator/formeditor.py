"""The form editor at `/admin/`: Decap CMS, vendored, configured from `schemas/` on every build.

A board publishes it only when board.yaml has an `editor:` section. Volunteers who do not write
YAML fill in forms; saving opens a pull request (Decap's editorial workflow, one branch per
record), so the board's PR check runs `ailin check` on it before anyone merges.

Why Decap and not Sveltia: Decap's editorial workflow opens pull requests on GitHub, GitLab and
Forgejo, and its local backend (`decap-server`, with git branches) lets a headless browser test
the whole round trip; Sveltia has no editorial workflow and edits local files through a folder
picker that a headless browser cannot answer.

The bundle ships inside the package (`admin/vendor/`, with its license files) and is served from
the site itself: never a CDN, which mainland networks block or slow down. The configuration is
generated here, one collection per record kind and community; `admin/ailin-admin.js` writes the
files (the `ailin-yaml` format): dates plain, Chinese as is, keys in schema order, empty fields
left out, and an edit rewrites only the fields that changed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import privacy, scaffold, schema
from .model import BoardModel, Community
from .schema import FieldSpec, Vocabulary
from .records import PHONE, RESOLUTION_REF, SLUG, URL
from .words import Words

DECAP_VERSION = "3.16.3"
JS_YAML_VERSION = "4.1.0"
ADMIN = Path(__file__).with_name("admin")  # the page, our script and the vendored bundles
FORMAT = "ailin-yaml"  # the file format admin/ailin-admin.js registers
DATE = "YYYY-MM-DD"  # Decap's (dayjs) spelling of ISO dates
EDITED_KINDS = tuple(scaffold.FOLDERS)  # suggestion, meeting, project: a folder of files each
REFERENCED_KINDS = {"suggestion", "meeting", "project"}  # refs a relation widget can offer
WORDS = Words.of("zh")  # the editor speaks Chinese (locale zh_Hans), like the schemas' labels it shows


def admin_files(board: BoardModel, content_dir: Path) -> dict[str, bytes]:
    """Path below the site root -> bytes: the editor page, its configuration, the bundles.

    Empty when the board has no `editor:` section: such a board publishes no editor page.
    """
    if not board.editor:
        return {}
    files = {
        "admin/index.html": _page().encode(),
        "admin/ailin-admin.js": (ADMIN / "ailin-admin.js").read_bytes(),
        # Compact: every community repeats every form, so a district board's file grows fast.
        "admin/config.json": json.dumps(decap_config(board, content_dir), ensure_ascii=False, separators=(",", ":")).encode(),
    }
    for bundle in sorted(p for p in (ADMIN / "vendor").rglob("*") if p.is_file()):
        files[f"admin/{bundle.relative_to(ADMIN).as_posix()}"] = bundle.read_bytes()
    return files


def decap_config(board: BoardModel, content_dir: Path) -> dict[str, Any]:
    """Decap CMS's configuration: the board's git host, then one collection per record kind and
    community, every field from its schema."""
    content = Path(content_dir).resolve()
    root = content.name  # paths in the repository: the board repository is content/'s parent
    editor = board.editor or {}
    board_fields = schema.record_schema("board").fields["editor"].fields
    backend = {"name": editor["backend"], "repo": editor["repo"], "branch": editor.get("branch") or board_fields["branch"].default}
    for key in ("base_url", "api_root", "app_id"):
        if editor.get(key):
            backend[key] = editor[key]
    if editor.get("app_id"):
        backend["auth_type"] = "pkce"  # GitLab and Forgejo log in from the browser, no server needed
    vocabularies = {"category": board.categories, "funding_source": board.funding_sources}
    collections = []
    for community in board.communities.values():
        forms = _Forms(community, vocabularies)
        collections.append(forms.community_collection(root))
        collections += [forms.record_collection(kind, root, content, board) for kind in EDITED_KINDS]
    return {
        "backend": backend,
        "publish_mode": "editorial_workflow",  # saving opens a pull request; merging publishes
        # On localhost only, Decap asks decap-server (`npx decap-server`) first: editing on
        # one's own machine. From any other host this setting does nothing.
        "local_backend": True,
        "locale": "zh_Hans",
        "site_url": board.base_url or "",
        "display_url": board.base_url or "",
        "logo_url": "",
        # Photos are named in the project form and added to media/ through git; uploads the
        # media library makes land here, outside any community, for a person to move.
        "media_folder": f"{root}/uploads",
        "show_preview_links": False,
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": collections,
    }


class _Forms:
    """The collections and widgets of one community: relations point at its own records."""

    def __init__(self, community: Community, vocabularies: dict[str, Vocabulary]):
        self.community = community
        self.vocabularies = vocabularies

    def name(self, kind: str) -> str:
        return f"{self.community.id}-{scaffold.FOLDERS.get(kind, kind)}"

    def community_collection(self, root: str) -> dict[str, Any]:
        record = schema.record_schema("community")
        path = f"{root}/{record.file.replace('<community>', self.community.id)}"
        return {
            "name": self.name("community"),
            "label": f"{self.community.name} · {record.title['zh']}",
            "format": FORMAT,
            "extension": "yaml",
            "editor": {"preview": False},
            "files": [{"name": "community", "label": record.title["zh"], "file": path, "fields": self.fields(record.fields)}],
        }

    def record_collection(self, kind: str, root: str, content: Path, board: BoardModel) -> dict[str, Any]:
        record = schema.record_schema(kind)
        folder = f"communities/{self.community.id}/{scaffold.FOLDERS[kind]}"
        fields = self.fields(record.fields)
        # A new record gets the next free id of its folder, as `ailin new` gives it; as_of, not
        # the clock, so the same content always builds the same configuration.
        fields[0]["default"] = scaffold.next_id(content / folder, self.community.id, kind, board.as_of)
        summary = "{{id}} · {{title}}" if "title" in record.fields else "{{id}}"
        return {
            "name": self.name(kind),
            "label": f"{self.community.name} · {record.title['zh']}",
            "label_singular": record.title["zh"],
            "folder": f"{root}/{folder}",
            "format": FORMAT,
            "extension": "yaml",
            "create": True,
            "delete": False,  # records stay: a suggestion that was published is not unpublished
            "identifier_field": "id",
            "slug": "{{fields.id}}",  # file name = id
            "summary": summary,
            "sortable_fields": [name for name in ("id", "title", "received", "date") if name in record.fields],
            "editor": {"preview": False},
            "fields": fields,
        }

    def fields(self, specs: dict[str, FieldSpec], reviewers_notes: bool = False) -> list[dict[str, Any]]:
        return [self.field(name, spec, reviewers_notes or name == privacy.EXCEPTIONS_FIELD) for name, spec in specs.items()]

    def field(self, name: str, spec: FieldSpec, reviewers_notes: bool) -> dict[str, Any]:
        """One form field: its Chinese label, help text and widget; required as the schema says."""
        hint = spec.help.get("zh", "")
        if spec.type in privacy.TEXT_TYPES and not reviewers_notes:  # what the privacy guard reads
            hint += WORDS.t("editor.privacy")  # the privacy guard's rule, under every text field it reads
        result = {"name": name, "label": spec.label("zh"), "required": spec.required}
        if hint:
            result["hint"] = hint
        result.update(self.widget(spec, reviewers_notes))
        if spec.default is not None and "default" not in result:
            result["default"] = spec.default
        return result

    def widget(self, spec: FieldSpec, reviewers_notes: bool = False) -> dict[str, Any]:
        kind = spec.type
        if kind == "markdown":
            # A plain text area: it keeps what a volunteer typed byte for byte (Decap's rich
            # editor rewrites Markdown it did not write), and Markdown still works in it.
            return {"widget": "text"}
        if kind in ("string", "path"):
            return {"widget": "string", **_length(spec)}
        if kind == "date":
            return {"widget": "datetime", "format": DATE, "date_format": DATE, "time_format": False, "picker_utc": True}
        if kind in ("integer", "amount"):
            bounds = {"min": spec.min if spec.min is not None else 0}
            if spec.max is not None:
                bounds["max"] = spec.max
            return {"widget": "number", "value_type": "int" if kind == "integer" else "float", **bounds}
        if kind == "boolean":
            return {"widget": "boolean"}
        if kind == "enum":
            return {"widget": "select", "options": self.options(spec.vocabulary)}
        if kind == "slug":
            return _pattern(SLUG.pattern, WORDS.t("editor.slug"))
        if kind == "ref":
            return self.relation(spec.to)
        if kind == "url":
            return _pattern(URL.pattern, WORDS.t("editor.url"))
        if kind == "phone":
            return _pattern(PHONE.pattern, WORDS.t("editor.phone"))
        if kind == "list":
            return self.list_widget(spec, reviewers_notes)
        if kind == "object":
            fields = self.fields(spec.fields, reviewers_notes)
            if not spec.required:
                # Decap would ask for `submitter.display` even when there is no submitter; what an
                # optional object needs once it is there stays with `ailin check`.
                for field in fields:
                    field["required"] = False
            return {"widget": "object", "collapsed": not spec.required, "fields": fields}
        if kind == "counts":
            return {"widget": "object", "fields": self.counts(spec)}
        raise ValueError(f"schemas/ declares a field type the form editor does not know: {kind}")

    def list_widget(self, spec: FieldSpec, reviewers_notes: bool) -> dict[str, Any]:
        items = spec.items
        if items is None or items.type == "ref" and items.to in REFERENCED_KINDS:
            return {**self.relation(items.to if items else "suggestion"), "multiple": True}
        if items.type == "enum":
            return {"widget": "select", "multiple": True, "options": self.options(items.vocabulary)}
        if items.type == "object":
            names = list(items.fields)
            return {
                "widget": "list",
                "label_singular": spec.label("zh"),
                "collapsed": False,
                "summary": " · ".join(f"{{{{fields.{name}}}}}" for name in names[:2]),
                "fields": self.fields(items.fields, reviewers_notes),
            }
        return {"widget": "list", "field": {"name": spec.name, "label": spec.label("zh"), **self.widget(items)}}

    def relation(self, to: str | None) -> dict[str, Any]:
        """Ids of this community's records as a searchable choice; a compound from its
        community.yaml; a resolution (`meeting#resolution`) typed, with its pattern."""
        if to in REFERENCED_KINDS:
            shown = ["id", "title"] if "title" in schema.record_schema(to).fields else ["id"]
            return {
                "widget": "relation", "collection": self.name(to), "value_field": "id",
                "search_fields": shown, "display_fields": shown, "options_length": 500,
            }
        if to == "compound":
            return {
                "widget": "relation", "collection": self.name("community"), "file": "community",
                "value_field": "compounds.*.id", "search_fields": ["compounds.*.name", "compounds.*.id"],
                "display_fields": ["compounds.*.name"],
            }
        return _pattern(RESOLUTION_REF.pattern, WORDS.t("editor.resolution"))

    def options(self, vocabulary_name: str | None) -> list[dict[str, str]]:
        """Chinese labels shown, English keys written."""
        vocabulary = self.vocabularies.get(vocabulary_name) or schema.vocabulary(vocabulary_name)
        return [{"label": term.zh, "value": key} for key, term in vocabulary.terms.items()]

    def counts(self, spec: FieldSpec) -> list[dict[str, Any]]:
        """A number per fixed key; free keys (attendance, beneficiaries) offer the labelled groups."""
        groups = schema.vocabulary("group")
        keys = spec.keys or list(groups.terms)
        return [
            {"name": key, "label": groups.label(key) if key in groups.terms else key, "required": False,
             "widget": "number", "value_type": "int", "min": 0}
            for key in keys
        ]


def _page() -> str:
    """The editor page, naming the pinned bundles it loads."""
    page = (ADMIN / "index.html").read_text(encoding="utf-8")
    page = page.replace("@DECAP_VERSION@", DECAP_VERSION).replace("@JS_YAML_VERSION@", JS_YAML_VERSION)
    return page.replace("@TITLE@", WORDS.both("editor.title"))


def _length(spec: FieldSpec) -> dict[str, Any]:
    if not spec.max_length:
        return {}
    return _pattern(rf"^[\s\S]{{0,{spec.max_length}}}$", WORDS.t("editor.max_length", limit=spec.max_length))


def _pattern(pattern: str, message: str) -> dict[str, Any]:
    return {"widget": "string", "pattern": [pattern, message]}
