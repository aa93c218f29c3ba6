"""Assertions that explain themselves when they fail."""


def assert_status(response, expected):
    """Like assert response.status_code == expected, but shows what the page said."""
    if response.status_code == expected:
        return
    detail = ""
    context = getattr(response, "context", None)
    if context and "adminform" in context:
        detail = f"form errors: {context['adminform'].form.errors.as_data()}"
        for formset in context.get("inline_admin_formsets", []):
            errors = formset.formset.errors, formset.formset.non_form_errors()
            detail += f"\ninline errors: {errors}"
    else:
        detail = response.content.decode(errors="replace")[:2000]
    raise AssertionError(f"expected status {expected}, got {response.status_code}\n{detail}")
