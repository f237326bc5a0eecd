import type { AdviceBook } from './advice.ts';

export const adviceEn: AdviceBook = {
  situations: {
    price: {
      label: 'Price objection',
      read: 'This is a price objection. First find out what "too expensive" really means (over budget, value not yet clear, compared with a competitor, hard to justify internally) and hold back any discount.',
      steps: [
        'Acknowledge it: "Given your budget, I understand why it feels that way."',
        'Ask what they compare it with: "Compared with what: your budget, or another quote?"',
        'Return to value: put the cost of the problem you heard in discovery (hours × rate) next to the price.',
        'Adjust scope, not price: "We could start with two departments and expand once you have seen the results."',
      ],
      question:
        "What did the customer compare the price with: their budget, a competitor's quote, or what they can justify internally?",
    },
    negotiation: {
      label: 'Discount negotiation',
      read: 'You are in a discount negotiation. Trade every concession for something in return, and know your walk-away point (BATNA) before you start.',
      steps: [
        'Don\'t concede on the spot: "I understand. Let me come back with options that work for both sides."',
        'Ask what gets it approved: "What would need to be true for you to sign this off?"',
        'Trade, don\'t give: "If you can commit to an annual contract this month, we can adjust the setup fee."',
        'Use non-price levers first: onboarding support, payment terms, contract length.',
      ],
      question: 'What is your walk-away price, and what will you ask for in return for a concession?',
    },
    timing: {
      label: 'Stall / timing',
      read: 'This is a stall ("let us think about it", "not the right time"). If you leave without knowing the real reason, the deal quietly dies.',
      steps: [
        'Ask what they will weigh: "So that I can help, what exactly will you be considering?"',
        'Check for missing information: "Is there anything you still need to make a decision?"',
        'Estimate the cost of waiting together: "A three-month delay means another ~120 hours of manual work."',
        'Always book the next contact: "Could we have 15 minutes after your team meeting on the 12th?"',
      ],
      question:
        'What do you think is the real reason for the delay: budget cycle, other priorities, or no internal agreement yet?',
    },
    competitor: {
      label: 'Competitor comparison',
      read: "You are being compared with a competitor. Don't criticise them; find out the customer's evaluation criteria first, then tie your strengths to those criteria.",
      steps: [
        'Ask what they value: "What do you like about their offer?"',
        'Agree the criteria: "Apart from price, what matters most in your decision?"',
        'Show the difference with facts: a customer story from their industry, total cost of ownership.',
        'Stay respectful: "They make a good product. For your specific challenge with X, though…"',
      ],
      question:
        'Which competitor are they comparing you with, and what seems to be their most important selection criterion?',
    },
    authority: {
      label: 'Decision-maker access',
      read: 'You have hit the "I need to check with my boss" wall. Make your contact an internal champion and prepare, together, what the decision-maker needs to see.',
      steps: [
        'Map the approval path: "Who else needs to approve this, and how does the approval (ringi) usually run?"',
        'Learn what the decision-maker cares about: "What will your director look at most closely?"',
        'Hand over a one-page summary (problem, impact, cost, plan) they can paste into the approval request.',
        'Offer to join: "Could I join for 15 minutes when you present this to your director?"',
      ],
      question: 'Who is the decision-maker, and which number do they care about most: cost, revenue or risk?',
    },
    status_quo: {
      label: 'Status quo',
      read: 'The customer is happy with the status quo. Usually the problem exists but has not been put into words yet.',
      steps: [
        'Respect the current way: "It works today thanks to your team\'s effort."',
        'Look for small frictions: "Are there moments, at month-end for example, when it takes more effort than it should?"',
        'Ask about impact: "If volume grows next year, can the current setup keep up?"',
        'Share what peers changed: "A company like yours saved 40 hours a month starting from the same place."',
      ],
      question: 'Have you heard a small, quantifiable friction in their current process yet?',
    },
    followup_email: {
      label: 'Follow-up email',
      read: "A follow-up email. Don't stop at thanks: summarise what was agreed and name one next action with a date.",
      steps: [
        'Make the subject specific: "Thank you for today – summary and next steps (ACME / Yamada)".',
        'Open with the summary: "As I understood it, your main challenges are (1)… and (2)…"',
        'State the next action with a date: "I will send the material by Friday. Could we talk for 15 minutes on the 12th?"',
        'No reply after a week? Resend briefly with something new: a case study or a useful resource.',
      ],
      question: 'If the email could get the customer to do just one thing, what would it be?',
    },
    closing: {
      label: 'Closing',
      read: 'This is the closing stage. Don\'t end with "please consider it": agree the next concrete action and its date before you leave.',
      steps: [
        'Summarise the agreement: "So the challenge is X, and Y would solve it. Is that right?"',
        'Surface the last concerns: "Before you decide, is there anything still on your mind?"',
        'Test close: "If you went ahead, when would you ideally start?"',
        'Fix the next step with a date: "Shall we meet with your director on the 12th for 15 minutes?"',
      ],
      question: 'What next step has the customer agreed to, and is there a date on it?',
    },
    proposal: {
      label: 'Proposal',
      read: "You are building a proposal. Follow problem → solution → impact → cost → plan, in the customer's own words and numbers.",
      steps: [
        'Start from their problem, quoting what you heard in discovery.',
        'Put the impact in money: "Saving 40 hours a month is worth about ¥X per year in staff cost."',
        'Show the cost next to the impact, with the payback period.',
        'End with the implementation plan and the next step (decision meeting and date).',
      ],
      question: 'Which number did the customer say themselves that you can put in the "impact" section?',
    },
    demo: {
      label: 'Demo',
      read: "You are preparing a demo. Don't tour the features: recreate the moment of the customer's problem and show it solved.",
      steps: [
        'Agree the goal first: "Today you will see how your month-end reporting changes."',
        'Follow their workflow, and show at most three features.',
        'Check in along the way: "Which part of your current work does this screen replace?"',
        'Close with the next step: trial scope, success criteria and dates.',
      ],
      question: 'At which moment of which task should the customer think "this is it"?',
    },
    discovery: {
      label: 'Discovery',
      read: 'You are planning discovery. The goal is for the customer to describe the problem and its size in their own words, before any pitch.',
      steps: [
        'Keep situation questions short (about 20%): "Which system do you use for quotes today?"',
        'Find the pain: "Which step of month-end closing takes the most time?"',
        'Widen the impact: "When that is late, how does it affect billing or accounting?"',
        'Qualify with BANT and the approval path: "How were similar purchases approved in the past?"',
      ],
      question:
        'Which information must you bring back from the next meeting: the size of the problem, the decision-maker, or the budget timing?',
    },
    account_planning: {
      label: 'Account planning',
      read: 'Account planning. Map the stakeholders: who is involved in the decision, what they care about, and where they stand on you.',
      steps: [
        'List the people: decision-maker, champion, evaluators, users, likely sceptics.',
        "Note each person's interests and stance (supporter, neutral, sceptic).",
        'Plan how to fill the gaps: "We have no contact in IT yet; ask our champion for an introduction."',
        "Know the renewal and upsell timing and the customer's budget cycle.",
      ],
      question: 'Who is the important person in this account you have never spoken to?',
    },
    cold_outreach: {
      label: 'Cold outreach',
      read: 'Cold outreach. One sentence that answers "why now, and why me" from the prospect\'s point of view makes the difference.',
      steps: [
        'Research first: mid-term plan, press releases, job postings; form one hypothesis.',
        'Open with the reason: "Your mid-term plan mentions X, which is why I am reaching out."',
        'Add one customer story from their industry, no more.',
        'Ask for something small: "Could we have 15 minutes to exchange ideas?"',
      ],
      question: 'What recent event at the prospect could you use as the reason for reaching out?',
    },
    greeting: {
      label: 'Getting started',
      read: 'Hello, I am your sales coach. Describe a deal situation and I will suggest next steps based on our sales knowledge base.',
      steps: [
        'Handling objections: "too expensive", "let us think about it", "we already use X", "I need to check with my boss".',
        'Planning discovery (SPIN, BANT), proposals, demos and closing.',
        'Drafting thank-you and follow-up emails.',
        '`/ai_knowledge keywords` searches the knowledge base; `/ai_history` shows your progress.',
      ],
      question: 'Which deal is on your mind right now, and where does it stand?',
    },
    general: {
      label: 'Your question',
      read: 'Thanks for asking. A little more detail will let me give you sharper advice.',
      steps: [
        "The customer's industry and size, and the role of the person you met.",
        'The stage of the deal (first meeting, after the proposal, final negotiation…).',
        'What the customer actually said, in their words.',
      ],
      question: "What were the customer's last words in the meeting?",
    },
  },
  skillTips: {
    hearing:
      'After each question, pause for five seconds, then confirm the answer with a number ("about how many hours a month?").',
    proposal: 'Lead with the impact, in money or time, before the features.',
    objection_handling:
      "Don't answer an objection straight away: acknowledge, ask why, then return to value.",
    closing: 'Use the last five minutes of every meeting to agree the next action and its date.',
    relationship: "Open and close each meeting with a word about the customer's situation or effort.",
  },
};
