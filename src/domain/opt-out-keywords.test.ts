import { describe, expect, it } from 'vitest';
import { detectOptOut, OPT_OUT_KEYWORDS } from './opt-out-keywords.ts';

describe('detectOptOut', () => {
  describe('whole message only', () => {
    it.each([
      ['STOP', 'STOP', 'en'],
      ['unsubscribe', 'UNSUBSCRIBE', 'en'],
      ['Stop all', 'STOP ALL', 'en'],
      ['baja', 'BAJA', 'es'],
      ['darme de baja', 'DARME DE BAJA', 'es'],
      ['sair', 'SAIR', 'pt'],
      ['abmelden', 'ABMELDEN', 'de'],
      ['Disiscrivimi', 'DISISCRIVIMI', 'it'],
      ['afmelden', 'AFMELDEN', 'nl'],
      ['avsluta', 'AVSLUTA', 'sv'],
      ['lopeta', 'LOPETA', 'fi'],
      ['wypisz mnie', 'WYPISZ MNIE', 'pl'],
      ['berhenti', 'BERHENTI', 'id'],
      ['nyahlanggan', 'NYAHLANGGAN', 'ms'],
      ['band karo', 'BAND KARO', 'hi'],
    ])('treats the whole message %s as an opt-out', (input, keyword, language) => {
      expect(detectOptOut(input)).toEqual({ keyword, language });
    });

    it.each([
      "please don't stop sending",
      'stop the order',
      'I want to unsubscribe tomorrow',
      'baja el precio',
      'STOP STOP',
      'stopping',
      'nostop',
    ])('does not treat %s as an opt-out because the keyword is not the whole message', (input) => {
      expect(detectOptOut(input)).toBeNull();
    });
  });

  describe('case and accent insensitivity', () => {
    it.each([
      ['arrêt', 'ARRÊT', 'fr'],
      ['ARRET', 'ARRÊT', 'fr'],
      ['Arret', 'ARRÊT', 'fr'],
      ['désinscrire', 'DÉSINSCRIRE', 'fr'],
      ['DESINSCRIRE', 'DÉSINSCRIRE', 'fr'],
      ['não quero mais', 'NÃO QUERO MAIS', 'pt'],
      ['NAO QUERO MAIS', 'NÃO QUERO MAIS', 'pt'],
      ['no mas', 'NO MÁS', 'es'],
      ['No Más', 'NO MÁS', 'es'],
      ['avanmal', 'AVANMÄL', 'sv'],
      ['rezygnuje', 'REZYGNUJĘ', 'pl'],
      ['nie wysylaj', 'NIE WYSYŁAJ', 'pl'],
      ['İptal', 'İPTAL', 'tr'],
      ['iptal', 'İPTAL', 'tr'],
      ['ıptal', 'İPTAL', 'tr'],
      ['abonelikten çık', 'ABONELİKTEN ÇIK', 'tr'],
      ['ABONELIKTEN CIK', 'ABONELİKTEN ÇIK', 'tr'],
      ['non scrivermi piu', 'NON SCRIVERMI PIÙ', 'it'],
      // The same word typed with decomposed accents (NFD), as some keyboards send it.
      ['arre\u0302t', 'ARRÊT', 'fr'],
      // Full-width Latin, as typed on Chinese and Japanese keyboards.
      ['ＳＴＯＰ', 'STOP', 'en'],
    ])('treats %s as the opt-out keyword %s regardless of case and accents', (input, keyword, language) => {
      expect(detectOptOut(input)).toEqual({ keyword, language });
    });
  });

  describe('scripts other than Latin survive mark stripping', () => {
    it.each([
      ['إيقاف', 'إيقاف', 'ar'],
      ['ايقاف', 'إيقاف', 'ar'], // Typed without the hamza, as most people do.
      ['الغاء', 'إلغاء', 'ar'],
      ['توقّف', 'توقف', 'ar'], // With a shadda.
      ['إيقـــاف', 'إيقاف', 'ar'], // Stretched with tatweel.
      ['\u200Fإلغاء الاشتراك\u200F', 'إلغاء الاشتراك', 'ar'], // Wrapped in right-to-left marks.
      ['הסר', 'הסר', 'he'],
      ['הָסֵר', 'הסר', 'he'], // With niqqud.
      ['\u200Fעצור', 'עצור', 'he'],
      ['إلغاء\u200F الاشتراك', 'إلغاء الاشتراك', 'ar'], // A right-to-left mark between the words.
      ['СТОП', 'СТОП', 'ru'],
      ['стоп', 'СТОП', 'ru'],
      ['Отписаться', 'ОТПИСАТЬСЯ', 'ru'],
      ['не пишите мне', 'НЕ ПИШИТЕ МНЕ', 'ru'],
      ['відписатися', 'ВІДПИСАТИСЯ', 'uk'],
      ['στοπ', 'ΣΤΟΠ', 'el'],
      ['Διαγραφή', 'ΔΙΑΓΡΑΦΗ', 'el'],
      ['बंद करो', 'बंद करो', 'hi'],
      ['मत भेजो', 'मत भेजो', 'hi'],
      ['退订', '退订', 'zh'],
      ['配信停止', '配信停止', 'ja'],
      ['ｽﾄｯﾌﾟ', 'ストップ', 'ja'], // Half-width katakana.
      ['수신거부', '수신거부', 'ko'],
    ])('treats %s as the opt-out keyword %s in its own script', (input, keyword, language) => {
      expect(detectOptOut(input)).toEqual({ keyword, language });
    });

    it.each([
      ['बद करो', 'the Devanagari anusvara is dropped'],
      ['बंद करे', 'the Devanagari vowel sign differs'],
      ['ストッフ', 'the katakana voicing mark is missing'],
    ])('does not treat %s as an opt-out because %s, since those marks are part of the word', (input) => {
      expect(detectOptOut(input)).toBeNull();
    });
  });

  describe('chat noise around the keyword', () => {
    it.each([
      [' Stop! ', 'STOP'],
      ['STOP.', 'STOP'],
      ['stop 🛑', 'STOP'],
      ['🛑🛑 STOP 🛑🛑', 'STOP'],
      ['¡Baja!', 'BAJA'],
      ['«STOP»', 'STOP'],
      ['"unsubscribe"', 'UNSUBSCRIBE'],
      ['\n\tSTOP\n', 'STOP'],
      ['stop   all', 'STOP ALL'],
      ['stop\u00A0all', 'STOP ALL'],
      ['opt-out', 'OPT OUT'],
      ['Opt out!!', 'OPT OUT'],
      ['descadastrar me', 'DESCADASTRAR-ME'],
      ['stop 👋🏽', 'STOP'],
      ['STOP 🙅‍♀️', 'STOP'],
      ['?!STOP?!', 'STOP'],
      ['ST\u200BOP', 'STOP'], // A zero-width space pasted inside the word.
    ])('treats %j as the opt-out keyword %s despite surrounding whitespace, punctuation and emoji', (input, keyword) => {
      expect(detectOptOut(input)?.keyword).toBe(keyword);
    });

    it.each(['STOP now!', '🛑 stop it 🛑', 'stop 2', 'baja ya'])(
      'does not treat %j as an opt-out because it has extra words',
      (input) => {
        expect(detectOptOut(input)).toBeNull();
      },
    );
  });

  describe('quick-reply button texts', () => {
    it.each([
      ['Stop promotions', 'STOP PROMOTIONS', 'en'],
      ['Parar promoções', 'PARAR PROMOÇÕES', 'pt'],
      ['Detener promociones', 'DETENER PROMOCIONES', 'es'],
      ['No más promociones', 'NO MÁS PROMOCIONES', 'es'],
      ['Parar promociones', 'PARAR PROMOCIONES', 'es'],
      ['Arrêter les promotions', 'ARRÊTER LES PROMOTIONS', 'fr'],
      ['Werbung stoppen', 'WERBUNG STOPPEN', 'de'],
      ['Stop promozioni', 'STOP PROMOZIONI', 'it'],
    ])('treats the quick-reply button text %s as an opt-out', (input, keyword, language) => {
      expect(detectOptOut(input)).toEqual({ keyword, language });
    });
  });

  describe('empty and oversized input', () => {
    it.each(['', ' ', '   \n\t  ', '\u00A0', '🛑', '!!!'])('returns null for %j, which has no words', (input) => {
      expect(detectOptOut(input)).toBeNull();
    });

    it('returns null for a 100,000-character message quickly', () => {
      const long = 'stop '.repeat(20_000);
      const started = performance.now();
      expect(detectOptOut(long)).toBeNull();
      expect(performance.now() - started).toBeLessThan(50);
    });

    it('returns null for an oversized message without normalising it, even when only punctuation surrounds a keyword', () => {
      // Proves the early bail-out: normalising this would trim the exclamation marks and find STOP.
      expect(detectOptOut(`STOP${'!'.repeat(100_000)}`)).toBeNull();
    });
  });

  describe('everyday replies that are deliberately not keywords', () => {
    it.each(['no', 'NO', 'ok', 'yes', 'para', 'não', 'não quero', 'chega', 'band', 'peru', 'хватит', 'kündigen', 'anuluj', 'thanks'])(
      'does not treat the everyday reply %s as an opt-out',
      (input) => {
        expect(detectOptOut(input)).toBeNull();
      },
    );
  });

  describe('canonical keyword and language', () => {
    it.each([
      ['stop', 'STOP', 'en'],
      ['Stopp', 'STOPP', 'de'],
      ['parar', 'PARAR', 'es'],
      ['cancelar', 'CANCELAR', 'es'],
      ['berhenti', 'BERHENTI', 'id'],
      ['停止', '停止', 'zh'],
    ])('reports %s, which several languages list, as %s in the first such language in table order', (input, keyword, language) => {
      expect(detectOptOut(input)).toEqual({ keyword, language });
    });

    it('returns a fresh result each call, so mutating one does not change later answers', () => {
      const first = detectOptOut('STOP');
      expect(first).not.toBeNull();
      if (first !== null) first.language = 'xx';
      expect(detectOptOut('STOP')).toEqual({ keyword: 'STOP', language: 'en' });
    });
  });
});

describe('OPT_OUT_KEYWORDS', () => {
  const entries = Object.entries(OPT_OUT_KEYWORDS).flatMap(([language, keywords]) =>
    keywords.map((keyword) => ({ language, keyword })),
  );

  it('covers at least 15 languages', () => {
    expect(Object.keys(OPT_OUT_KEYWORDS).length).toBeGreaterThanOrEqual(15);
  });

  it.each(Object.entries(OPT_OUT_KEYWORDS))('lists at least two keywords for %s', (_language, keywords) => {
    expect(keywords.length).toBeGreaterThanOrEqual(2);
  });

  // Also fails when a keyword differs from an earlier one only by case, accents or dashes, because it would then
  // report the earlier spelling: such entries are redundant and mislead whoever reads the table.
  it.each(entries)('reports $keyword as itself, under the first language in table order that lists it ($language or earlier)', ({ keyword }) => {
    const firstLanguage = entries.find((entry) => entry.keyword === keyword)?.language;
    expect(detectOptOut(keyword)).toEqual({ keyword, language: firstLanguage });
  });
});

describe('courtesy words around a keyword', () => {
  it.each(['STOP please', 'Please stop', 'por favor, BAJA', 'Stopp bitte', 'STOP, thanks!', 'Parar por favor', 'Arrêt svp'])('still treats "%s" as an opt-out', (text) => {
    expect(detectOptOut(text)).not.toBeNull();
  });

  it.each(["please don't stop", 'stop please, where is my order?', 'please', 'thanks'])('does not treat "%s" as one', (text) => {
    expect(detectOptOut(text)).toBeNull();
  });
});
