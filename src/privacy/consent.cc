#include "privacy/consent.h"

#include "privacy/contribution.h"

namespace cw::privacy {

namespace {

// The exact words a household agrees to. Changing one means a new version: households that
// agreed to an older version keep sharing under it until they agree again or revoke.
const ConsentText kOpenData{
    "1",
    "J'accepte que ma station envoie chaque jour au hub communautaire la consommation totale de "
    "mon foyer pour la veille, arrondie à 10 Wh, avec le contexte que j'ai choisi (zone, taille du "
    "foyer, chauffage, logement). Ces envois ne portent ni nom, ni adresse, ni identifiant de "
    "capteur, et ne peuvent pas être reliés à mon foyer ni entre eux, même par l'opérateur du hub. "
    "Le hub ne publie en données ouvertes (Licence Ouverte 2.0) que des agrégats d'au moins 10 "
    "foyers. Je peux retirer mon accord à tout moment : les envois cessent aussitôt et ce qui a "
    "été "
    "envoyé est effacé des publications suivantes.",
    "I agree that my base station sends the community hub, every day, my household's total "
    "consumption of the day before, rounded to 10 Wh, with the context I chose (area, household "
    "size, heating, dwelling). These uploads carry no name, no address and no sensor id, and "
    "cannot be linked to my household nor to each other, even by the hub's operator. The hub "
    "publishes as open data (Licence Ouverte 2.0) only aggregates of at least 10 households. I "
    "can withdraw at any time: uploads stop at once and what was sent is erased from every later "
    "publication."};
const ConsentText kComparator{
    "1",
    "J'accepte que ma consommation quotidienne, envoyée de la même façon anonyme, serve à "
    "calculer les répartitions de consommation des foyers semblables de ma zone. Ma station "
    "télécharge ces répartitions et me situe elle-même : rien sur mon foyer ne sort pour la "
    "comparaison.",
    "I agree that my daily consumption, sent in the same anonymous way, is used to compute the "
    "consumption distributions of similar households in my area. My base station downloads them "
    "and ranks my household itself: nothing about my household leaves for the comparison."};
const ConsentText kChallenges{
    "1",
    "J'accepte que ma consommation quotidienne, envoyée de la même façon anonyme, compte dans les "
    "défis collectifs de mon quartier (l'économie du quartier par rapport à lui-même l'an passé).",
    "I agree that my daily consumption, sent in the same anonymous way, counts in my "
    "neighbourhood's collective challenges (the neighbourhood's saving against itself a year "
    "ago)."};
const ConsentText kHalfHour{
    "1",
    "Je choisis d'envoyer aussi ma consommation par demi-heure (48 valeurs par jour, arrondies à "
    "10 Wh) pour les courbes de charge ouvertes. Attention : une courbe par demi-heure peut "
    "révéler les heures de présence dans le logement. Elle est envoyée et protégée comme le total "
    "du jour.",
    "I choose to also send my consumption per half-hour (48 values a day, rounded to 10 Wh) for "
    "the open load curves. Beware: a half-hourly curve can reveal when the home is occupied. It "
    "is sent and protected like the daily total."};

}  // namespace

const char* consent_item_name(ConsentItem i) {
  switch (i) {
    case ConsentItem::kOpenData:
      return "open_data";
    case ConsentItem::kComparator:
      return "comparator";
    case ConsentItem::kChallenges:
      return "challenges";
    case ConsentItem::kHalfHour:
      return "half_hour";
  }
  return "?";
}

Result<ConsentItem> parse_consent_item(std::string_view s) {
  for (ConsentItem i : kConsentItems)
    if (s == consent_item_name(i)) return i;
  return invalid_argument("purpose must be open_data, comparator, challenges or half_hour");
}

const ConsentText& consent_text(ConsentItem item) {
  switch (item) {
    case ConsentItem::kOpenData:
      return kOpenData;
    case ConsentItem::kComparator:
      return kComparator;
    case ConsentItem::kChallenges:
      return kChallenges;
    case ConsentItem::kHalfHour:
      return kHalfHour;
  }
  return kOpenData;
}

Result<std::string> consent_text_in(ConsentItem item, std::string_view lang) {
  if (lang == "fr") return consent_text(item).fr;
  if (lang == "en") return consent_text(item).en;
  return invalid_argument("lang must be fr or en");
}

const std::optional<LedgerEntry>& ConsentState::of(ConsentItem i) const {
  switch (i) {
    case ConsentItem::kOpenData:
      return open_data;
    case ConsentItem::kComparator:
      return comparator;
    case ConsentItem::kChallenges:
      return challenges;
    case ConsentItem::kHalfHour:
      return half_hour;
  }
  return open_data;
}

std::optional<LedgerEntry>& ConsentState::of(ConsentItem i) {
  return const_cast<std::optional<LedgerEntry>&>(std::as_const(*this).of(i));
}

std::uint8_t ConsentState::purposes() const {
  std::uint8_t p = 0;
  if (open_data) p |= static_cast<std::uint8_t>(Purpose::kOpenData);
  if (comparator) p |= static_cast<std::uint8_t>(Purpose::kComparator);
  if (challenges) p |= static_cast<std::uint8_t>(Purpose::kChallenges);
  return p;
}

ConsentState fold_ledger(const std::vector<LedgerEntry>& ledger) {
  ConsentState s;
  for (const LedgerEntry& e : ledger) {
    if (e.granted)
      s.of(e.item) = e;
    else
      s.of(e.item).reset();
  }
  if (!s.open_data) s.half_hour.reset();  // the curve is only ever sent as open data
  return s;
}

}  // namespace cw::privacy
