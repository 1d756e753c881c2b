// Message catalogue: every user-visible string, French first.
export const messages = {
  fr: {
    switch_lang: 'English', logout: 'Se déconnecter', username: "Nom d'utilisateur",
    password: 'Mot de passe', now: 'Maintenant', today: "Aujourd'hui",
    curve_caption: "Puissance aujourd'hui (moyenne par point)",
    setup_title: 'Bienvenue ! Créez le compte administrateur',
    setup_help: 'Ce compte protège les données de votre foyer. Mot de passe : 10 caractères au moins.',
    setup_submit: 'Créer le compte', login_title: 'Connexion', login_help: '',
    login_submit: 'Se connecter', login_failed: 'Identifiants incorrects.',
    error: 'Erreur : ', no_sensor: 'Aucun capteur pour le moment.',
    last_seen: 'Dernière mesure à {time}', silent: 'Capteur silencieux depuis {time}',
    reconnecting: 'Connexion perdue, reconnexion…',
  },
  en: {
    switch_lang: 'Français', logout: 'Log out', username: 'Username', password: 'Password',
    now: 'Now', today: 'Today', curve_caption: 'Power today (mean per point)',
    setup_title: 'Welcome! Create the administrator account',
    setup_help: "This account protects your household's data. Password: at least 10 characters.",
    setup_submit: 'Create account', login_title: 'Log in', login_help: '',
    login_submit: 'Log in', login_failed: 'Wrong username or password.',
    error: 'Error: ', no_sensor: 'No sensor yet.',
    last_seen: 'Last measurement at {time}', silent: 'Sensor silent since {time}',
    reconnecting: 'Connection lost, reconnecting…',
  },
};

// French first: English only when the household chose it.
let lang = localStorage.getItem('cw-lang') === 'en' ? 'en' : 'fr';

export function currentLang() { return lang; }
export function setLang(l) { lang = l; localStorage.setItem('cw-lang', l); }
export function t(key, vars = {}) {
  const s = messages[lang][key] ?? messages.fr[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? '');
}
export function locale() { return lang === 'fr' ? 'fr-FR' : 'en-GB'; }
