from io import StringIO

from assessments.kimbank import demo
from assessments.kimbank.choices import VariantStatus
from assessments.kimbank.models import Variant, VariantFile, VariantUse


def test_demo_builds_variants_with_pdfs_and_is_idempotent(world):
    out = StringIO()
    demo.build(out)
    counts = (Variant.objects.count(), VariantFile.objects.count(), VariantUse.objects.count())
    demo.build(StringIO())
    assert (Variant.objects.count(), VariantFile.objects.count(), VariantUse.objects.count()) == counts == (3, 6, 1)
    use = VariantUse.objects.get()
    assert use.variant.status == VariantStatus.APPROVED
    assert use.procedure.kind.code == "РПР"
    with VariantFile.objects.first().file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    # The output names the procedure as people do, not by its file code (RPR-2026-MA-6).
    assert f"«{use.procedure.name}»" in out.getvalue() and use.procedure.code not in out.getvalue()
