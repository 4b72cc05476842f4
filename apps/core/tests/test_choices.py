"""Choice labels from the mixin read as Django's own get_FOO_display() does, in the reader's language."""

from django.utils import translation

from apps.clients.models import ClientRelationship, Phase


def test_choice_label_follows_the_active_language_and_unknown_values_show_as_is():
    rel = ClientRelationship(current_phase=Phase.OPEN_CARE)
    with translation.override("fi"):
        assert rel.get_current_phase_display() == "avohuollon asiakkuus"
    with translation.override("en"):
        english = rel.get_current_phase_display()
    with translation.override("sv"):
        swedish = rel.get_current_phase_display()
    assert english != "avohuollon asiakkuus" and swedish != "avohuollon asiakkuus" and english != swedish
    with translation.override("fi"):  # each language keeps its own labels
        assert rel.get_current_phase_display() == "avohuollon asiakkuus"
    with translation.override("en"):
        assert rel.get_current_phase_display() == english
    rel.current_phase = "retired_phase"  # a value no longer among the choices
    assert rel.get_current_phase_display() == "retired_phase"
