// The few words quire itself writes into a book (the contents page, the Notes chapter, the cover page's
// name, the landmarks), in the book's language. A language not listed here gets English.

export interface Labels {
  contents: string;
  notes: string;
  cover: string;
  /** Where the text proper starts (a landmark and the EPUB 2 guide). */
  start: string;
  landmarks: string;
}

const LABELS: Record<string, Labels> = {
  en: { contents: 'Contents', notes: 'Notes', cover: 'Cover', start: 'Start of content', landmarks: 'Landmarks' },
  ar: { contents: 'المحتويات', notes: 'الحواشي', cover: 'الغلاف', start: 'بداية المحتوى', landmarks: 'معالم' },
  cs: { contents: 'Obsah', notes: 'Poznámky', cover: 'Obálka', start: 'Začátek textu', landmarks: 'Orientační body' },
  da: { contents: 'Indhold', notes: 'Noter', cover: 'Omslag', start: 'Start på indholdet', landmarks: 'Orientering' },
  de: { contents: 'Inhalt', notes: 'Anmerkungen', cover: 'Umschlag', start: 'Textbeginn', landmarks: 'Orientierungspunkte' },
  el: { contents: 'Περιεχόμενα', notes: 'Σημειώσεις', cover: 'Εξώφυλλο', start: 'Αρχή του κειμένου', landmarks: 'Ορόσημα' },
  es: { contents: 'Índice', notes: 'Notas', cover: 'Cubierta', start: 'Inicio del contenido', landmarks: 'Puntos de referencia' },
  fi: { contents: 'Sisällys', notes: 'Huomautukset', cover: 'Kansi', start: 'Sisällön alku', landmarks: 'Maamerkit' },
  fr: { contents: 'Table des matières', notes: 'Notes', cover: 'Couverture', start: 'Début du contenu', landmarks: 'Repères' },
  he: { contents: 'תוכן העניינים', notes: 'הערות', cover: 'כריכה', start: 'תחילת התוכן', landmarks: 'ציוני דרך' },
  hu: { contents: 'Tartalom', notes: 'Jegyzetek', cover: 'Borító', start: 'A tartalom eleje', landmarks: 'Tájékozódási pontok' },
  it: { contents: 'Indice', notes: 'Note', cover: 'Copertina', start: 'Inizio del contenuto', landmarks: 'Punti di riferimento' },
  ja: { contents: '目次', notes: '注', cover: '表紙', start: '本文の始まり', landmarks: 'ランドマーク' },
  ko: { contents: '목차', notes: '주석', cover: '표지', start: '본문 시작', landmarks: '랜드마크' },
  nb: { contents: 'Innhold', notes: 'Noter', cover: 'Omslag', start: 'Start på innholdet', landmarks: 'Landemerker' },
  nl: { contents: 'Inhoud', notes: 'Noten', cover: 'Omslag', start: 'Begin van de inhoud', landmarks: 'Oriëntatiepunten' },
  pl: { contents: 'Spis treści', notes: 'Przypisy', cover: 'Okładka', start: 'Początek treści', landmarks: 'Punkty orientacyjne' },
  pt: { contents: 'Sumário', notes: 'Notas', cover: 'Capa', start: 'Início do conteúdo', landmarks: 'Pontos de referência' },
  ro: { contents: 'Cuprins', notes: 'Note', cover: 'Copertă', start: 'Începutul conținutului', landmarks: 'Repere' },
  ru: { contents: 'Содержание', notes: 'Примечания', cover: 'Обложка', start: 'Начало текста', landmarks: 'Ориентиры' },
  sv: { contents: 'Innehåll', notes: 'Noter', cover: 'Omslag', start: 'Innehållets början', landmarks: 'Landmärken' },
  tr: { contents: 'İçindekiler', notes: 'Notlar', cover: 'Kapak', start: 'İçeriğin başı', landmarks: 'Yer işaretleri' },
  uk: { contents: 'Зміст', notes: 'Примітки', cover: 'Обкладинка', start: 'Початок тексту', landmarks: 'Орієнтири' },
  zh: { contents: '目录', notes: '注释', cover: '封面', start: '正文开始', landmarks: '地标' },
  'zh-Hant': { contents: '目錄', notes: '註釋', cover: '封面', start: '正文開始', landmarks: '地標' },
};
LABELS.no = LABELS.nn = LABELS.nb!;

/** The labels for a language tag (`fr`, `pt-BR`, `zh-TW`...): by its language, English when unknown. */
export function labelsFor(lang: string): Labels {
  const [language = '', ...rest] = lang.toLowerCase().split('-');
  // Traditional Chinese: written with the Hant script, or in Taiwan, Hong Kong and Macao.
  if (language === 'zh' && rest.some((s) => s === 'hant' || s === 'tw' || s === 'hk' || s === 'mo')) return LABELS['zh-Hant']!;
  return LABELS[language] ?? LABELS.en!;
}

/** Names joined as the language writes a list: "A, B and C", "A, B et C", "A、B、C". */
export function joinNames(names: readonly string[], lang: string): string {
  if (lang.toLowerCase().split('-')[0] !== 'en') {
    try {
      if (Intl.ListFormat.supportedLocalesOf(lang).length > 0) return new Intl.ListFormat(lang, { type: 'conjunction' }).format(names);
    } catch {
      // Not a tag Intl knows: English, as below.
    }
  }
  if (names.length <= 2) return names.join(' and ');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
